import type { Lead } from './lead.ts';

export type StaffRole = 'rep' | 'manager';

export interface Staff {
  slackUserId: string;
  role: StaffRole;
  active: boolean;
  displayName: string | null;
}

export function isManager(staff: Staff | null | undefined): boolean {
  return staff?.active === true && staff.role === 'manager';
}

/** Only the lead's owner or a manager may speak to the lead or change it. */
export function canActOnLead(staff: Staff | null | undefined, lead: Pick<Lead, 'ownerId'>): boolean {
  if (!staff?.active) return false;
  return staff.role === 'manager' || lead.ownerId === staff.slackUserId;
}

/** Who may claim an unassigned lead from the team channel. */
export function canClaimLead(staff: Staff | null | undefined): boolean {
  return staff?.active === true;
}

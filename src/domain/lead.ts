export type LeadStatus = 'active' | 'blocked';
export type LeadSource = 'follow' | 'message';
export type LeadKind = 'lead' | 'customer';

export interface Lead {
  id: string;
  lineUserId: string;
  displayName: string | null;
  pictureUrl: string | null;
  kind: LeadKind;
  status: LeadStatus;
  source: LeadSource;
  ownerId: string | null;
  followedAt: Date | null;
  blockedAt: Date | null;
  lastInboundAt: Date | null;
  createdAt: Date;
}

/** Leads without an owner are worked from the team channel until a rep claims them. */
export const TEAM_TARGET = 'team';

/** Where the lead's Slack thread lives: its owner's DM, or the team channel. */
export function threadTargetOf(lead: Pick<Lead, 'ownerId'>): string {
  return lead.ownerId ?? TEAM_TARGET;
}

/** Every outbox row about one lead shares this key, so its messages reach Slack and LINE in order. */
export function leadOrderKey(leadId: string): string {
  return `lead:${leadId}`;
}

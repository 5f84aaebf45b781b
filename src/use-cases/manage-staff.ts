import { leadOrderKey } from '../domain/lead.ts';
import type { Staff, StaffRole } from '../domain/staff.ts';
import { isManager } from '../domain/staff.ts';
import type { Clock, OutboxEntry, Store } from '../ports.ts';
import { assignOwner } from './assign-owner.ts';

export type StaffChange =
  | { kind: 'add'; userId: string; role: StaffRole; nameHint: string | null }
  | { kind: 'remove'; userId: string };

export type StaffChangeResult =
  | { kind: 'added'; staff: Staff }
  | { kind: 'removed'; userId: string; movedLeads: number }
  | { kind: 'not_staff'; userId: string }
  | { kind: 'forbidden' };

/**
 * Managers register and remove staff. A removed rep's active leads are handed over round-robin
 * (or to the team channel) so that no lead is left without someone working it.
 */
export async function manageStaff(
  deps: { store: Store; clock: Clock },
  actorId: string,
  change: StaffChange,
): Promise<StaffChangeResult> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    if (!isManager(await tx.staff.get(actorId))) return { kind: 'forbidden' };
    if (change.kind === 'add') {
      const staff = await tx.staff.upsert({
        slackUserId: change.userId,
        role: change.role,
        displayName: change.nameHint,
        at: now,
      });
      await tx.outbox.enqueue([
        { job: { kind: 'slack.staff_name', userId: change.userId }, orderKey: `staff:${change.userId}` },
      ]);
      return { kind: 'added', staff };
    }
    if (!(await tx.staff.deactivate(change.userId, now))) return { kind: 'not_staff', userId: change.userId };
    const leads = await tx.leads.listActiveOwnedBy(change.userId);
    const entries: OutboxEntry[] = [];
    for (const lead of leads) {
      const assigned = await assignOwner(tx, lead, now, {
        excluding: change.userId,
        reason: 'hand_over',
        actor: actorId,
      });
      entries.push(...assigned.entries, {
        job: {
          kind: 'slack.notice',
          leadId: lead.id,
          notice: { key: 'lead_reassigned', from: change.userId, to: assigned.ownerId },
        },
        orderKey: leadOrderKey(lead.id),
      });
    }
    await tx.outbox.enqueue(entries);
    return { kind: 'removed', userId: change.userId, movedLeads: leads.length };
  });
}

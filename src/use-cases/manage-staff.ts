import { leadOrderKey } from '../domain/lead.ts';
import type { Staff, StaffRole } from '../domain/staff.ts';
import { isManager } from '../domain/staff.ts';
import type { Clock, OutboxEntry, Store } from '../ports.ts';
import { assignOwner, giveOwner } from './assign-owner.ts';

export type StaffChange =
  | { kind: 'add'; userId: string; role: StaffRole; nameHint: string | null }
  /** `to`: the one rep who takes every active lead of the person removed (else round-robin). */
  | { kind: 'remove'; userId: string; to?: string | null };

export type StaffChangeResult =
  | { kind: 'added'; staff: Staff }
  | { kind: 'removed'; userId: string; movedLeads: number; to: string | null }
  | { kind: 'not_staff'; userId: string }
  /** The named successor is not an active rep, or is the person removed: nothing changed. */
  | { kind: 'bad_successor'; userId: string; to: string; reason: 'not_a_rep' | 'same_person' }
  | { kind: 'forbidden' };

/**
 * Managers register and remove staff. A removed rep's active leads are handed over round-robin
 * (or to the team channel), or all to the one rep the manager names, so that no lead is left
 * without someone working it. Every hand-over is in the lead's history (reason hand_over).
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
    const to = change.to ?? null;
    if (to !== null) {
      if (to === change.userId)
        return { kind: 'bad_successor', userId: change.userId, to, reason: 'same_person' };
      const successor = await tx.staff.get(to);
      if (!successor?.active || successor.role !== 'rep')
        return { kind: 'bad_successor', userId: change.userId, to, reason: 'not_a_rep' };
    }
    if (!(await tx.staff.deactivate(change.userId, now))) return { kind: 'not_staff', userId: change.userId };
    const leads = await tx.leads.listActiveOwnedBy(change.userId);
    const entries: OutboxEntry[] = [];
    for (const lead of leads) {
      const handover = { reason: 'hand_over' as const, actor: actorId };
      const assigned =
        to === null
          ? await assignOwner(tx, lead, now, { ...handover, excluding: change.userId })
          : await giveOwner(tx, lead, to, now, handover);
      entries.push(
        ...assigned.entries,
        {
          job: {
            kind: 'slack.notice',
            leadId: lead.id,
            notice: { key: 'lead_reassigned', from: change.userId, to: assigned.ownerId },
          },
          orderKey: leadOrderKey(lead.id),
        },
        // The card left in the old owner's DM says who has the lead now, and loses its buttons.
        { job: { kind: 'slack.card', leadId: lead.id }, orderKey: leadOrderKey(lead.id) },
      );
    }
    await tx.outbox.enqueue(entries);
    return { kind: 'removed', userId: change.userId, movedLeads: leads.length, to };
  });
}

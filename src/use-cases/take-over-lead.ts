import type { Lead } from '../domain/lead.ts';
import { isErased, leadOrderKey, threadTargetOf } from '../domain/lead.ts';
import { leadHistoryDiff } from '../domain/lead-history.ts';
import { canClaimLead } from '../domain/staff.ts';
import type { Clock, OutboxEntry, Store } from '../ports.ts';

export type TakeOverResult =
  | { kind: 'taken'; lead: Lead }
  | { kind: 'not_staff' }
  | { kind: 'no_such_alarm' }
  /** The message was answered (or the lead closed) since the alarm: nothing left to take over. */
  | { kind: 'not_waiting' }
  | { kind: 'lead_blocked' }
  /** Someone else took it over, or the lead changed hands another way, since the alarm. */
  | { kind: 'already_taken'; ownerId: string | null }
  | { kind: 'already_owner' };

/**
 * 代わりに対応する on the team channel's alarm: any active staff member takes over a lead whose
 * message still waits. In one transaction: the owner changes (only if it is still the one the
 * alarm named), the history says why, the previous owner is told in their thread, the new owner
 * gets the lead's thread, and the alarm is redrawn to say who took it. The next alarm of the wait
 * keeps its usual spacing from now, so the new owner has the same time the team had.
 */
export async function takeOverLead(
  deps: { store: Store; clock: Clock },
  input: { userId: string; leadId: string; alarmChannelId: string; alarmTs: string },
): Promise<TakeOverResult> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    if (!canClaimLead(await tx.staff.get(input.userId))) return { kind: 'not_staff' };
    // Locked: a second press of the same alarm waits here and then sees who was first.
    const alarm = await tx.alarms.findByChannelTs(input.alarmChannelId, input.alarmTs, { lock: true });
    if (!alarm || alarm.leadId !== input.leadId) return { kind: 'no_such_alarm' };
    const lead = await tx.leads.get(alarm.leadId);
    if (!lead || isErased(lead)) return { kind: 'no_such_alarm' };
    if (alarm.takenBy) return { kind: 'already_taken', ownerId: alarm.takenBy };
    if (lead.ownerId === input.userId) return { kind: 'already_owner' };
    if (lead.awaitingReplySince?.getTime() !== alarm.waitingSince.getTime()) return { kind: 'not_waiting' };
    if (lead.status === 'blocked') return { kind: 'lead_blocked' };
    if (lead.ownerId !== alarm.ownerId) return { kind: 'already_taken', ownerId: lead.ownerId };
    if (!(await tx.leads.transferOwner(lead.id, lead.ownerId, input.userId, now))) {
      return { kind: 'already_taken', ownerId: (await tx.leads.get(lead.id))?.ownerId ?? null };
    }
    await tx.leads.patch(lead.id, { escalatedAt: now }, now);
    await tx.alarms.markTaken(alarm.id, input.userId, now);
    const taken: Lead = { ...lead, ownerId: input.userId, escalatedAt: now };
    await tx.history.append(
      leadHistoryDiff(lead, taken, { at: now, actor: input.userId, ownerReason: 'take_over' }),
    );
    const key = leadOrderKey(lead.id);
    const previousThread = await tx.threads.get(lead.id, threadTargetOf(lead));
    const entries: OutboxEntry[] = [
      { job: { kind: 'slack.alarm_taken', leadId: lead.id, alarmId: alarm.id }, orderKey: key },
      ...(previousThread
        ? [
            {
              job: {
                kind: 'slack.notice' as const,
                leadId: lead.id,
                notice: { key: 'lead_taken_over' as const, by: input.userId },
                channelId: previousThread.channelId,
                threadTs: previousThread.threadTs,
              },
              orderKey: key,
            },
          ]
        : []),
      { job: { kind: 'slack.card', leadId: lead.id }, orderKey: key },
      { job: { kind: 'slack.thread', leadId: lead.id }, orderKey: key },
      {
        job: { kind: 'slack.notice', leadId: lead.id, notice: { key: 'took_over_lead', from: lead.ownerId } },
        orderKey: key,
      },
    ];
    await tx.outbox.enqueue(entries);
    return { kind: 'taken', lead: taken };
  });
}

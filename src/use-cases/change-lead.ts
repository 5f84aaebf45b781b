import { addDays, nextWorkingDay } from '../domain/business-calendar.ts';
import { type LostReason, lostNeedsAttempts, storedCloseReason } from '../domain/follow-up/close-reason.ts';
import { type TimingPreset, timingFromPreset, timingSegment } from '../domain/follow-up/purchase-timing.ts';
import { MIN_ATTEMPTS_BEFORE_GIVING_UP } from '../domain/follow-up/touch.ts';
import { type FollowUpPolicy, followUpContext } from '../domain/follow-up-policy.ts';
import type { Lead } from '../domain/lead.ts';
import { isOpenDeal, isPastCustomer, leadOrderKey, threadTargetOf } from '../domain/lead.ts';
import { timingToStored } from '../domain/lead-follow-up.ts';
import { leadHistoryDiff } from '../domain/lead-history.ts';
import { leadSegment } from '../domain/sequences/audience.ts';
import { canActOnLead } from '../domain/staff.ts';
import type { Clock, LeadNotice, LeadPatch, NewTouch, OutboxEntry, Store } from '../ports.ts';
import { recordTouch } from './record-touch.ts';
import { onLeadClosed, onSegmentChanged } from './sequences/enrolments.ts';
import type { SequenceSettings } from './sequences/sequence-settings.ts';
import { type Duplicate, transactOnce } from './transact-once.ts';

export type LeadChange =
  | {
      kind: 'touch';
      channel: NewTouch['channel'];
      outcome: NewTouch['outcome'];
      note: string | null;
      /** 'YYYY-MM-DD': the rep's next contact date; nothing is due before it. */
      nextDate: string | null;
    }
  | { kind: 'timing'; preset: TimingPreset }
  | { kind: 'amount'; amountYen: number | null }
  | { kind: 'snooze'; days: number }
  | { kind: 'reassign'; ownerId: string }
  /** With a handover date the lead becomes a past customer (既存顧客) on the after-sales calendar. */
  | { kind: 'won'; handoverDate: string | null }
  /** Only `no_response` waits for the 4-touch rule; a lead who said no is closed at once. */
  | { kind: 'lost'; reason: LostReason; note: string | null };

export type ChangeResult =
  | { kind: 'done'; lead: Lead }
  /** This view or press was already processed: it had its effect the first time. */
  | Duplicate
  | { kind: 'no_such_lead' }
  | { kind: 'forbidden' }
  | { kind: 'lost_too_early'; attemptsSoFar: number; needed: number }
  /** A value no rep means: an amount of 0 yen, a next contact date in the past. */
  | { kind: 'invalid'; field: 'amount' | 'next_date' }
  | { kind: 'not_staff'; userId: string }
  | { kind: 'already_closed'; stage: Lead['stage'] };

const sameValue = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

/**
 * Every button on a lead card or digest line ends here. The lead id in a Slack payload is never
 * trusted: the actor must own the lead or be a manager, checked in the same transaction.
 *
 * `idempotencyKey` names the Slack delivery (a modal's view, one press of a select): it is recorded
 * with the change, so the same delivery arriving again is a 'duplicate' with no second effect. A
 * refusal records nothing, so the same modal can be submitted again. Changes of one lead run one
 * after another (row lock), and setting what the lead already has (a second press of the same
 * choice) writes no history and sends nothing.
 */
export async function changeLead(
  deps: { store: Store; clock: Clock; policy: FollowUpPolicy; sequences?: SequenceSettings },
  input: { actorId: string; leadId: string; change: LeadChange; idempotencyKey?: string },
): Promise<ChangeResult> {
  const now = deps.clock.now();
  const today = followUpContext(deps.policy, now).today;
  const once = { key: input.idempotencyKey, at: now, tookEffect: (r: ChangeResult) => r.kind === 'done' };
  return transactOnce(deps.store, once, async (tx): Promise<ChangeResult> => {
    const lead = await tx.leads.get(input.leadId, { lock: true });
    // An erased lead is nobody any more: nothing about it changes.
    if (!lead || lead.erasedAt) return { kind: 'no_such_lead' };
    if (!canActOnLead(await tx.staff.get(input.actorId), lead)) return { kind: 'forbidden' };
    const { change } = input;
    const key = leadOrderKey(lead.id);
    const entries: OutboxEntry[] = [{ job: { kind: 'slack.card', leadId: lead.id }, orderKey: key }];
    const notice = (body: LeadNotice): OutboxEntry => ({
      job: { kind: 'slack.notice', leadId: lead.id, notice: body },
      orderKey: key,
    });
    let updated: Lead = lead;
    /** The lead as last written to history (a touch writes its own rows). */
    let recorded: Lead = lead;
    const patch = async (fields: LeadPatch) => {
      const differs = (Object.keys(fields) as (keyof LeadPatch)[]).some(
        (field) => !sameValue(updated[field], fields[field]),
      );
      if (!differs) return;
      await tx.leads.patch(lead.id, fields, now);
      updated = { ...updated, ...fields };
    };
    // A closed deal takes no more deal changes; a past customer's after-sales contact goes on.
    const afterSales = isPastCustomer(lead);
    const stillOpen = ['touch', 'reassign', ...(afterSales ? ['snooze'] : [])].includes(change.kind);
    if (!isOpenDeal(lead) && !stillOpen) {
      return { kind: 'already_closed', stage: lead.stage };
    }
    switch (change.kind) {
      case 'touch': {
        if (change.nextDate !== null && change.nextDate < today)
          return { kind: 'invalid', field: 'next_date' };
        const touched = await recordTouch(tx, lead, {
          leadId: lead.id,
          channel: change.channel,
          direction: 'outbound',
          outcome: change.outcome,
          note: change.note,
          authorId: input.actorId,
          messageId: null,
          at: now,
        });
        updated = touched.lead;
        recorded = touched.lead;
        entries.push(...touched.entries.filter((e) => e.job.kind !== 'slack.card'));
        // A next contact date is kept on a working day, like every date the bot computes.
        if (change.nextDate)
          await patch({ snoozedUntil: nextWorkingDay(change.nextDate, deps.policy.calendar) });
        break;
      }
      case 'timing': {
        const timing = timingFromPreset(change.preset, today);
        await patch({
          purchaseTiming: timingToStored(timing),
          announcedSegment: timingSegment(timing, today),
        });
        break;
      }
      case 'amount':
        if (change.amountYen !== null && change.amountYen <= 0) return { kind: 'invalid', field: 'amount' };
        await patch({ amountYen: change.amountYen });
        break;
      case 'snooze':
        await patch({ snoozedUntil: nextWorkingDay(addDays(today, change.days), deps.policy.calendar) });
        break;
      case 'reassign': {
        const target = await tx.staff.get(change.ownerId);
        if (!target?.active) return { kind: 'not_staff', userId: change.ownerId };
        if (target.slackUserId === lead.ownerId) break;
        // The thread the lead leaves is told where it went (its card loses its buttons: 'slack.card').
        const left = await tx.threads.get(lead.id, threadTargetOf(lead));
        await tx.leads.setOwner(lead.id, target.slackUserId, now);
        updated = { ...updated, ownerId: target.slackUserId };
        if (left) {
          entries.push({
            job: {
              kind: 'slack.notice',
              leadId: lead.id,
              notice: { key: 'lead_reassigned', from: lead.ownerId, to: target.slackUserId },
              channelId: left.channelId,
              threadTs: left.threadTs,
            },
            orderKey: key,
          });
        }
        entries.push(
          { job: { kind: 'slack.thread', leadId: lead.id }, orderKey: key },
          {
            job: {
              kind: 'slack.notice',
              leadId: lead.id,
              notice: { key: 'lead_reassigned', from: lead.ownerId, to: target.slackUserId },
            },
            orderKey: key,
          },
        );
        break;
      }
      case 'won':
        await patch({
          stage: 'won',
          closedAt: now,
          closeReason: null,
          awaitingReplySince: null,
          ...(change.handoverDate ? { kind: 'customer' as const, handoverDate: change.handoverDate } : {}),
        });
        entries.push(notice({ key: 'lead_won', by: input.actorId, handoverDate: change.handoverDate }));
        break;
      case 'lost': {
        // The 4-touch rule: silence after fewer than four attempts is not a "no".
        if (lostNeedsAttempts(change.reason)) {
          const attempts = await tx.touches.countOutbound(lead.id);
          if (attempts < MIN_ATTEMPTS_BEFORE_GIVING_UP) {
            return { kind: 'lost_too_early', attemptsSoFar: attempts, needed: MIN_ATTEMPTS_BEFORE_GIVING_UP };
          }
        }
        await patch({
          stage: 'lost',
          closedAt: now,
          closeReason: storedCloseReason(change.reason, change.note),
          awaitingReplySince: null,
        });
        entries.push(
          notice({ key: 'lead_lost', by: input.actorId, reason: change.reason, note: change.note }),
        );
        break;
      }
    }
    // Nothing differs from what the lead already had: no history, no card refresh, no notice.
    if (updated === lead) return { kind: 'done', lead };
    if (deps.sequences) {
      // Step sequences follow the deal: a new segment starts its nurture, a closed deal stops it.
      if (change.kind === 'timing') {
        const from = leadSegment(lead, today);
        await onSegmentChanged(
          tx,
          deps.sequences,
          updated,
          { from, to: leadSegment(updated, today), today },
          now,
        );
      }
      if (change.kind === 'won' || change.kind === 'lost')
        await onLeadClosed(tx, deps.sequences, updated, now);
    }
    await tx.history.append(
      leadHistoryDiff(recorded, updated, { at: now, actor: input.actorId, ownerReason: 'reassign' }),
    );
    await tx.outbox.enqueue(entries);
    return { kind: 'done', lead: updated };
  });
}

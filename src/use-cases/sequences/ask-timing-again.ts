import { addDays } from '../../domain/business-calendar.ts';
import { targetDate } from '../../domain/follow-up/purchase-timing.ts';
import { type FollowUpPolicy, followUpContext } from '../../domain/follow-up-policy.ts';
import { isOpenDeal, type Lead, leadOrderKey } from '../../domain/lead.ts';
import { storedTiming } from '../../domain/lead-follow-up.ts';
import { canReceiveSteps } from '../../domain/sequences/audience.ts';
import type { Clock, Logger, Store } from '../../ports.ts';

/** How long a purchase timing may have passed, with no word from the lead, before asking again. */
export const TIMING_SILENCE_DAYS = 30;

/**
 * Is this the lead to ask 「ご検討時期は？」 again: an open deal whose purchase timing passed at least
 * 30 days ago, with no message from the lead in those 30 days, never asked again before.
 */
export function shouldAskTimingAgain(lead: Lead, today: string, now: Date): boolean {
  if (lead.timingAskedAt || !isOpenDeal(lead) || lead.kind !== 'lead' || !canReceiveSteps(lead)) return false;
  const timing = storedTiming(lead.purchaseTiming);
  if (!timing) return false;
  if (addDays(targetDate(timing), TIMING_SILENCE_DAYS) > today) return false;
  const silenceStart = now.getTime() - TIMING_SILENCE_DAYS * 24 * 60 * 60_000;
  return !lead.lastInboundAt || lead.lastInboundAt.getTime() <= silenceStart;
}

/** Once a day: the question goes out again, at most once per lead (a push: no reply token to use). */
export async function askTimingAgain(deps: {
  store: Store;
  clock: Clock;
  policy: FollowUpPolicy;
  logger: Logger;
}): Promise<{ asked: number }> {
  const ctx = followUpContext(deps.policy, deps.clock.now());
  let asked = 0;
  for (const candidate of await deps.store.leads.listWithTiming()) {
    if (!shouldAskTimingAgain(candidate, ctx.today, ctx.now)) continue;
    await deps.store.transaction(async (tx) => {
      const lead = await tx.leads.get(candidate.id, { lock: true });
      if (!lead || !shouldAskTimingAgain(lead, ctx.today, ctx.now)) return;
      await tx.leads.patch(lead.id, { timingAskedAt: ctx.now }, ctx.now);
      await tx.outbox.enqueue([
        {
          job: {
            kind: 'line.lead_answer',
            leadId: lead.id,
            replyToken: null,
            receivedAt: ctx.now.toISOString(),
            message: { key: 'timing_question' },
          },
          orderKey: leadOrderKey(lead.id),
          retryKey: crypto.randomUUID(),
        },
      ]);
      asked += 1;
    });
  }
  return { asked };
}

import { segmentRank, type TimingSegment, timingSegment } from '../domain/follow-up/purchase-timing.ts';
import { type FollowUpPolicy, followUpContext } from '../domain/follow-up-policy.ts';
import { leadOrderKey } from '../domain/lead.ts';
import { storedTiming } from '../domain/lead-follow-up.ts';
import { leadHistoryDiff, SYSTEM_ACTOR } from '../domain/lead-history.ts';
import type { Clock, Logger, Store } from '../ports.ts';
import { onSegmentChanged } from './sequences/enrolments.ts';
import type { SequenceSettings } from './sequences/sequence-settings.ts';

/**
 * Purchase timing ages by itself (a "1 year" lead is a "6 months" lead half a year later). Once a
 * day, tell each owner about leads that crossed into a nearer segment since they were last told,
 * and refresh their cards. The first sighting of a lead only records its segment.
 */
export async function announceNearerTiming(deps: {
  store: Store;
  clock: Clock;
  policy: FollowUpPolicy;
  logger: Logger;
  /** Step sequences: a lead ageing into a new segment changes segment sequence. */
  sequences?: { settings: SequenceSettings };
}): Promise<{ announced: number; failed: number }> {
  const ctx = followUpContext(deps.policy, deps.clock.now());
  let announced = 0;
  let failed = 0;
  for (const lead of await deps.store.leads.listWithTiming()) {
    try {
      const segment = timingSegment(storedTiming(lead.purchaseTiming), ctx.today);
      const previous = lead.announcedSegment as TimingSegment | null;
      if (previous === segment) continue;
      await deps.store.transaction(async (tx) => {
        await tx.leads.patch(lead.id, { announcedSegment: segment }, ctx.now);
        await tx.history.append(
          leadHistoryDiff(lead, { ...lead, announcedSegment: segment }, { at: ctx.now, actor: SYSTEM_ACTOR }),
        );
        if (deps.sequences) {
          const aged = { ...lead, announcedSegment: segment };
          await onSegmentChanged(
            tx,
            deps.sequences.settings,
            aged,
            { from: previous, to: segment, today: ctx.today },
            ctx.now,
          );
        }
        if (previous === null || segmentRank(segment) >= segmentRank(previous) || !lead.ownerId) return;
        const key = leadOrderKey(lead.id);
        await tx.outbox.enqueue([
          {
            job: {
              kind: 'slack.notice',
              leadId: lead.id,
              notice: { key: 'segment_nearer', from: previous, to: segment },
            },
            orderKey: key,
          },
          { job: { kind: 'slack.card', leadId: lead.id }, orderKey: key },
        ]);
        announced += 1;
      });
    } catch (error) {
      failed += 1;
      deps.logger.error(
        { leadId: lead.id, error: String(error) },
        'could not check a lead’s purchase timing',
      );
    }
  }
  return { announced, failed };
}

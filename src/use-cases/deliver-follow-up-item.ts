import { nextOpening } from '../domain/business-calendar.ts';
import { threadTargetOf } from '../domain/lead.ts';
import { splitForLine } from '../domain/line-text.ts';
import { DeliveryError } from '../errors.ts';
import type { OutboxEntry, OutboxItem, OutboxJob } from '../ports.ts';
import { buildRepDigest } from './build-rep-digest.ts';
import { buildTeamSummary } from './build-team-summary.ts';
import type { DeliveryDeps } from './deliver-outbox-item.ts';

/** LINE documents a reply token as usable for about a minute; stay clear of the edge. */
const REPLY_TOKEN_TTL_MS = 50_000;

export type FollowUpJob = Extract<OutboxJob, { kind: 'slack.digest' | 'slack.escalation' | 'line.ack' }>;

/** Deliveries of the follow-up features: the morning digest, speed-to-lead alarms, the out-of-hours answer. */
export async function deliverFollowUpItem(
  deps: DeliveryDeps,
  item: OutboxItem,
  job: FollowUpJob,
): Promise<OutboxEntry[]> {
  const { store, slack, line } = deps;
  switch (job.kind) {
    case 'slack.digest': {
      const staff = await store.staff.get(job.repId);
      if (!staff?.active) return [];
      const now = deps.clock.now();
      const { digest } = await buildRepDigest(deps, job.repId, now);
      const team = staff.role === 'manager' ? await buildTeamSummary(deps, now) : undefined;
      await slack.postDigest(job.repId, digest, job.date, now, team);
      return [];
    }
    case 'slack.escalation': {
      const lead = await store.leads.get(job.leadId);
      // Answered meanwhile: an alarm now would be noise.
      if (!lead?.awaitingReplySince) return [];
      let channel = deps.teamChannelId;
      let threadTs: string | null = null;
      if (job.level === 1) {
        const thread = await store.threads.get(lead.id, threadTargetOf(lead));
        if (thread) ({ channelId: channel, threadTs } = thread);
      } else if (job.level >= 3 && job.to) {
        channel = job.to;
      }
      await slack.postEscalation({
        level: job.level,
        minutes: job.minutes,
        lead,
        channel,
        threadTs,
        ownerId: lead.ownerId,
      });
      return [];
    }
    case 'line.ack': {
      const lead = await store.leads.get(job.leadId);
      if (!lead || lead.status === 'blocked') return [];
      const texts = splitForLine(deps.autoAckText(nextOpening(deps.clock.now(), deps.policy.calendar))) ?? [];
      const fresh = deps.clock.now().getTime() - new Date(job.receivedAt).getTime() < REPLY_TOKEN_TTL_MS;
      if (job.replyToken && fresh && item.attempts === 1) {
        try {
          await line.replyText({ replyToken: job.replyToken, texts });
          return [];
        } catch (error) {
          // An expired or used token is refused with a 400: fall back to a push below.
          if (!(error instanceof DeliveryError) || error.retry === 'later') throw error;
        }
      }
      if (!item.retryKey) throw new DeliveryError('never', 'the acknowledgement has no retry key');
      await line.pushText({
        to: lead.lineUserId,
        texts,
        senderName: deps.senderFallbackName,
        retryKey: item.retryKey,
      });
      return [];
    }
  }
}

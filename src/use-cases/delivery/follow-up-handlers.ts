import { businessMinutesBetween, nextOpening } from '../../domain/business-calendar.ts';
import { DIGEST_SECTIONS } from '../../domain/digest.ts';
import type { EscalationAudience } from '../../domain/escalation.ts';
import { isErased, leadOrderKey, threadTargetOf } from '../../domain/lead.ts';
import { splitForLine } from '../../domain/line-text.ts';
import { DeliveryError } from '../../errors.ts';
import type { OutboxEntry } from '../../ports.ts';
import { buildRepDigest } from '../build-rep-digest.ts';
import { buildTeamSummary } from '../build-team-summary.ts';
import { alertTeam, alertTeamAboutLead, type JobOf, type OutboxHandlers } from './outbox-handler.ts';

/** LINE documents a reply token as usable for about a minute; stay clear of the edge. */
const REPLY_TOKEN_TTL_MS = 50_000;

/** Whom an escalation row is for; rows queued before reminders existed have no `reminder`. */
function audienceOf(job: JobOf<'slack.escalation'>): EscalationAudience {
  if (job.reminder) return 'reminder';
  return job.level === 1 ? 'owner' : job.level === 2 ? 'team' : 'managers';
}

/** Deliveries of the follow-up features: the morning digest, speed-to-lead alarms, the out-of-hours answer. */
export const followUpHandlers: OutboxHandlers<
  'slack.digest' | 'slack.escalation' | 'slack.alarm_taken' | 'line.ack'
> = {
  'slack.digest': {
    async deliver(deps, _item, job) {
      const staff = await deps.store.staff.get(job.repId);
      if (!staff?.active) return [];
      const now = deps.clock.now();
      const { digest } = await buildRepDigest(deps, job.repId, now);
      const team = staff.role === 'manager' ? await buildTeamSummary(deps, now) : undefined;
      await deps.slack.postDigest(job.repId, digest, job.date, now, team);
      // A card shows the next follow-up date; once that day has come (or passed) the card says
      // so too: redraw the cards of the leads due today, once per lead and day.
      return DIGEST_SECTIONS.flatMap((section) => digest[section])
        .filter((item) => item.view.due)
        .map(
          (item): OutboxEntry => ({
            job: { kind: 'slack.card', leadId: item.lead.id },
            orderKey: leadOrderKey(item.lead.id),
            dedupeKey: `card:${item.lead.id}:${job.date}`,
          }),
        );
    },
    // A digest is about many leads, so the alert names none.
    onGivenUp: async (_tx, _item, job, error) => alertTeam(job.kind, null, error),
  },

  'slack.escalation': {
    async deliver(deps, _item, job) {
      const lead = await deps.store.leads.get(job.leadId);
      // Answered meanwhile: an alarm now would be noise.
      if (!lead?.awaitingReplySince || isErased(lead)) return [];
      const now = deps.clock.now();
      // The wait as it is when the alarm is posted, not when it was queued.
      const waitedMinutes = Math.floor(
        businessMinutesBetween(lead.awaitingReplySince, now, deps.policy.calendar),
      );
      const audience = audienceOf(job);
      let channel = deps.teamChannelId;
      let threadTs: string | null = null;
      if (audience === 'owner' || audience === 'reminder') {
        const thread = await deps.store.threads.get(lead.id, threadTargetOf(lead));
        if (thread) ({ channelId: channel, threadTs } = thread);
      } else if (audience === 'managers' && job.to) {
        channel = job.to;
      }
      const posted = await deps.slack.postEscalation({
        audience,
        waitedMinutes,
        lead,
        channel,
        threadTs,
        ownerId: lead.ownerId,
      });
      if (audience === 'team') {
        // Its button and its thread are recognised by this record.
        await deps.store.alarms.insert({
          leadId: lead.id,
          channelId: posted.channelId,
          ts: posted.ts,
          ownerId: lead.ownerId,
          waitingSince: lead.awaitingReplySince,
          waitedMinutes,
          postedAt: now,
        });
      }
      return [];
    },
    onGivenUp: alertTeamAboutLead,
  },

  'slack.alarm_taken': {
    async deliver(deps, _item, job) {
      const [alarm, lead] = await Promise.all([
        deps.store.alarms.get(job.alarmId),
        deps.store.leads.get(job.leadId),
      ]);
      if (!alarm?.takenBy || !lead || isErased(lead)) return [];
      await deps.slack.updateEscalation(alarm.channelId, alarm.ts, {
        lead,
        waitedMinutes: alarm.waitedMinutes,
        ownerId: alarm.ownerId,
        takenBy: alarm.takenBy,
      });
      return [];
    },
    onGivenUp: alertTeamAboutLead,
  },

  'line.ack': {
    async deliver(deps, item, job) {
      const { store, line } = deps;
      const lead = await store.leads.get(job.leadId);
      if (!lead || lead.status === 'blocked' || isErased(lead)) return [];
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
    },
    onGivenUp: alertTeamAboutLead,
  },
};

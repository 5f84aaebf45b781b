import { isErased, threadTargetOf } from '../../domain/lead.ts';
import { senderNameFor, splitForLine } from '../../domain/line-text.ts';
import { DeliveryError } from '../../errors.ts';
import { recordTouch } from '../record-touch.ts';
import { ensureThread } from './lead-thread.ts';
import { alertTeam, alertTeamAboutLead, nothingToTell, type OutboxHandlers } from './outbox-handler.ts';

/**
 * The relay between LINE and Slack: a lead's messages into its thread, a rep's replies out to LINE
 * (with a reaction once sent), and the notices that explain what happened in between.
 */
export const relayHandlers: OutboxHandlers<
  'slack.thread' | 'slack.relay' | 'slack.notice' | 'line.push' | 'slack.reaction'
> = {
  'slack.thread': {
    async deliver(deps, _item, job) {
      const lead = await deps.store.leads.get(job.leadId);
      if (lead && !isErased(lead)) await ensureThread(deps, lead);
      return [];
    },
    onGivenUp: alertTeamAboutLead,
  },

  'slack.relay': {
    async deliver(deps, _item, job) {
      const { store, slack } = deps;
      // The message, its lead and the lead's threads are read together: the relay's hot path.
      const leadId = job.leadId ?? (await store.messages.get(job.messageId))?.leadId;
      if (!leadId) return [];
      const [message, lead, threads] = await Promise.all([
        store.messages.get(job.messageId),
        store.leads.get(leadId),
        store.threads.listForLead(leadId),
      ]);
      if (!message || message.slackTs !== null) return [];
      if (!lead) return [];
      const thread =
        threads.find((t) => t.target === threadTargetOf(lead)) ?? (await ensureThread(deps, lead));
      const posted = await slack.postInboundMessage(thread, message, lead);
      await store.messages.markRelayed(message.id, posted.channelId, posted.ts);
      deps.onRelayed?.(message.createdAt, deps.clock.now());
      return [];
    },
    async onGivenUp(tx, _item, job, error) {
      // Rows written before leadId was part of the job name only the message.
      const leadId = job.leadId ?? (await tx.messages.get(job.messageId))?.leadId ?? null;
      return alertTeam(job.kind, leadId, error);
    },
  },

  'slack.notice': {
    async deliver(deps, _item, job) {
      // A notice that names its thread (a step's line, one per step sent) reads nothing.
      const named =
        job.channelId && job.threadTs ? { channelId: job.channelId, threadTs: job.threadTs } : null;
      const lead = named ? null : await deps.store.leads.get(job.leadId);
      const thread = named ?? (lead && (await ensureThread(deps, lead)));
      if (!thread) return [];
      await deps.slack.postNotice(thread.channelId, thread.threadTs, job.notice);
      return [];
    },
    onGivenUp: alertTeamAboutLead,
  },

  'line.push': {
    async deliver(deps, item, job) {
      const { store, line } = deps;
      const message = await store.messages.get(job.messageId);
      const lead = message && (await store.leads.get(message.leadId));
      // An erased lead is nobody to write to (its pending replies went with the erasure).
      if (!message || !lead || message.status === 'sent' || isErased(lead)) return [];
      if (lead.status === 'blocked') throw new DeliveryError('never', 'the customer has blocked the account');
      const texts = message.text === null ? null : splitForLine(message.text);
      if (!texts || !item.retryKey) throw new DeliveryError('never', 'the reply cannot be sent as LINE text');
      const author = message.authorId ? await store.staff.get(message.authorId) : null;
      await line.pushText({
        to: lead.lineUserId,
        texts,
        senderName: senderNameFor(author?.displayName ?? null, deps.senderFallbackName),
        retryKey: item.retryKey,
      });
      const sentAt = deps.clock.now();
      // A rep's LINE reply is an outbound touch: it answers the lead and counts as an attempt.
      const touched = await store.transaction(async (tx) => {
        await tx.messages.markSent(message.id, sentAt);
        return recordTouch(tx, lead, {
          leadId: lead.id,
          channel: 'line',
          direction: 'outbound',
          outcome: 'sent',
          note: null,
          authorId: message.authorId,
          messageId: message.id,
          at: sentAt,
        });
      });
      if (!message.slackChannelId || !message.slackTs) return touched.entries;
      return [
        {
          job: {
            kind: 'slack.reaction',
            channelId: message.slackChannelId,
            ts: message.slackTs,
            name: 'white_check_mark',
          },
          orderKey: item.orderKey,
        },
        ...touched.entries,
      ];
    },
    /** The rep learns in their own thread that the reply did not reach the customer. */
    async onGivenUp(tx, item, job, error) {
      const message = await tx.messages.get(job.messageId);
      if (!message) return [];
      await tx.messages.markFailed(message.id, error);
      const thread = message.authorId ? await tx.threads.get(message.leadId, message.authorId) : null;
      return [
        {
          job: {
            kind: 'slack.notice',
            leadId: message.leadId,
            notice: { key: 'push_failed', error },
            ...(thread ? { channelId: thread.channelId, threadTs: thread.threadTs } : {}),
          },
          orderKey: item.orderKey,
        },
      ];
    },
  },

  'slack.reaction': {
    async deliver(deps, _item, job) {
      await deps.slack.addReaction(job.channelId, job.ts, job.name);
      return [];
    },
    // The reply itself was sent; only its check mark is missing.
    onGivenUp: nothingToTell,
  },
};

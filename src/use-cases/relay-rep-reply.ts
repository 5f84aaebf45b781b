import { leadOrderKey, threadTargetOf } from '../domain/lead.ts';
import { splitForLine } from '../domain/line-text.ts';
import { slackMarkupToPlain, slackUserMentions } from '../domain/slack-text.ts';
import { canActOnLead } from '../domain/staff.ts';
import type { Clock, LeadNotice, OutboxEntry, Repos, Store } from '../ports.ts';

export interface RepReply {
  userId: string;
  channelId: string;
  threadTs: string;
  ts: string;
  /** The message's text as Slack sent it, markup and all; null for files and other non-text. */
  slackText: string | null;
}

export type RepReplyResult =
  | { kind: 'queued'; leadId: string; messageId: string }
  | { kind: 'duplicate' }
  | { kind: 'not_a_lead_thread' }
  | { kind: 'refused'; leadId: string; notice: LeadNotice['key'] };

/**
 * A rep answered in a lead's thread: store the reply and queue the LINE push in one transaction,
 * deduplicated by the message's channel and ts. Slack retries events it thinks we missed and can
 * deliver one message under several event_ids; channel + ts is what identifies a message.
 * https://api.slack.com/apis/events-api#retries
 */
export async function relayRepReply(
  deps: { store: Store; clock: Clock },
  reply: RepReply,
): Promise<RepReplyResult> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const seen = !(await tx.slackEvents.insertOnce(`${reply.channelId}:${reply.ts}`, now));
    if (seen) return { kind: 'duplicate' };
    const thread = await tx.threads.findByChannelTs(reply.channelId, reply.threadTs);
    if (!thread) return hintInAlarmThread(tx, reply, now);
    const lead = await tx.leads.get(thread.leadId);
    if (!lead) return { kind: 'not_a_lead_thread' };
    const key = leadOrderKey(lead.id);
    const refuse = async (notice: LeadNotice): Promise<RepReplyResult> => {
      const entry: OutboxEntry = {
        job: {
          kind: 'slack.notice',
          leadId: lead.id,
          notice,
          channelId: reply.channelId,
          threadTs: reply.threadTs,
        },
        orderKey: key,
      };
      await tx.outbox.enqueue([entry]);
      return { kind: 'refused', leadId: lead.id, notice: notice.key };
    };

    if (lead.erasedAt) return refuse({ key: 'reply_lead_erased' });
    // An old thread: the lead has moved to someone else, whose thread is where answers go.
    if (thread.target !== threadTargetOf(lead)) return refuse({ key: 'reply_moved', to: lead.ownerId });
    const author = await tx.staff.get(reply.userId);
    if (!canActOnLead(author, lead)) return refuse({ key: 'reply_forbidden', userId: reply.userId });
    if (reply.slackText === null) return refuse({ key: 'reply_unsupported' });
    // Mentions are named from our own staff table: answering an event never waits on Slack's API.
    const names = await tx.staff.displayNames(slackUserMentions(reply.slackText));
    const text = slackMarkupToPlain(reply.slackText, (id) => names.get(id));
    if (text.trim() === '') return refuse({ key: 'reply_unsupported' });
    if (lead.status === 'blocked') return refuse({ key: 'reply_lead_blocked' });
    if (splitForLine(text) === null) return refuse({ key: 'reply_too_long' });

    const message = await tx.messages.insert({
      leadId: lead.id,
      direction: 'outbound',
      content: { kind: 'text', text },
      text,
      authorId: reply.userId,
      slackChannelId: reply.channelId,
      slackTs: reply.ts,
      status: 'pending',
      createdAt: now,
    });
    await tx.outbox.enqueue([
      { job: { kind: 'line.push', messageId: message.id }, orderKey: key, retryKey: crypto.randomUUID() },
    ]);
    return { kind: 'queued', leadId: lead.id, messageId: message.id };
  });
}

/**
 * A reply typed in the thread of a team-channel alarm reaches nobody: the alarm's thread answers
 * once with how to help (press 代わりに対応する; the lead is answered in its own thread).
 */
async function hintInAlarmThread(tx: Repos, reply: RepReply, now: Date): Promise<RepReplyResult> {
  const alarm = await tx.alarms.findByChannelTs(reply.channelId, reply.threadTs);
  if (!alarm || !(await tx.alarms.markHinted(alarm.id, now))) return { kind: 'not_a_lead_thread' };
  await tx.outbox.enqueue([
    {
      job: {
        kind: 'slack.notice',
        leadId: alarm.leadId,
        notice: { key: 'alarm_thread_hint', takenBy: alarm.takenBy },
        channelId: reply.channelId,
        threadTs: reply.threadTs,
      },
      orderKey: leadOrderKey(alarm.leadId),
    },
  ]);
  return { kind: 'refused', leadId: alarm.leadId, notice: 'alarm_thread_hint' };
}

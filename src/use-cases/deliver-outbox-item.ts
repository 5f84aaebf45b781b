import { type FollowUpPolicy, followUpContext } from '../domain/follow-up-policy.ts';
import type { Lead } from '../domain/lead.ts';
import { TEAM_TARGET, threadTargetOf } from '../domain/lead.ts';
import { followUpView } from '../domain/lead-follow-up.ts';
import { senderNameFor, splitForLine } from '../domain/line-text.ts';
import type { Staff } from '../domain/staff.ts';
import { storableText } from '../domain/storable-text.ts';
import { DeliveryError } from '../errors.ts';
import type {
  Clock,
  LeadCardView,
  LeadThread,
  LineMessenger,
  Logger,
  OutboxEntry,
  OutboxItem,
  Repos,
  SlackNotifier,
  Store,
} from '../ports.ts';
import { deliverFollowUpItem } from './deliver-follow-up-item.ts';
import { recordTouch } from './record-touch.ts';

export interface DeliveryDeps {
  store: Store;
  clock: Clock;
  line: LineMessenger;
  slack: SlackNotifier;
  logger: Logger;
  teamChannelId: string;
  senderFallbackName: string;
  policy: FollowUpPolicy;
  /** The out-of-hours acknowledgement, naming when staff will answer. */
  autoAckText: (when: Date) => string;
  /** Told when a lead's message is in Slack: when it reached us, and when it was posted. */
  onRelayed?: (arrivedAt: Date, postedAt: Date) => void;
}

/** How many earlier messages a new thread (after a claim or a handover) shows. */
const HISTORY_SIZE = 10;

/**
 * Performs the one LINE or Slack call an outbox row stands for, reading the current state so a
 * message reaches whoever owns the lead at delivery time. Returns rows to queue when it is done.
 * Throws DeliveryError; anything else is treated as transient. A retry never posts to Slack twice:
 * see SlackPostKey.
 */
export async function deliverOutboxItem(base: DeliveryDeps, item: OutboxItem): Promise<OutboxEntry[]> {
  // Every Slack post of this row carries the row's id; a retry first looks for what it posted.
  const deps: DeliveryDeps = {
    ...base,
    slack: base.slack.tagged({ outboxId: item.id, recheck: item.attempts > 1, since: item.createdAt }),
  };
  const { store, slack, line } = deps;
  const job = item.job;
  switch (job.kind) {
    case 'slack.digest':
    case 'slack.escalation':
    case 'line.ack':
      return deliverFollowUpItem(deps, item, job);
    case 'slack.thread': {
      const lead = await store.leads.get(job.leadId);
      if (lead) await ensureThread(deps, lead);
      return [];
    }
    case 'slack.relay': {
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
    }
    case 'slack.notice': {
      const lead = await store.leads.get(job.leadId);
      if (!lead) return [];
      const thread =
        job.channelId && job.threadTs
          ? { channelId: job.channelId, threadTs: job.threadTs }
          : await ensureThread(deps, lead);
      await slack.postNotice(thread.channelId, thread.threadTs, job.notice);
      return [];
    }
    case 'line.profile': {
      const lead = await store.leads.get(job.leadId);
      if (!lead) return [];
      const fetched = await line.getProfile(lead.lineUserId);
      if (!fetched) return [];
      // A display name is whatever the person typed in LINE, NUL included.
      const profile = {
        displayName: storableText(fetched.displayName),
        pictureUrl: fetched.pictureUrl === null ? null : storableText(fetched.pictureUrl),
      };
      await store.leads.setProfile(lead.id, profile, deps.clock.now());
      const thread = await store.threads.get(lead.id, threadTargetOf(lead));
      if (thread) await updateCard(deps, { ...lead, ...profile }, thread);
      return [];
    }
    case 'line.push': {
      const message = await store.messages.get(job.messageId);
      const lead = message && (await store.leads.get(message.leadId));
      if (!message || !lead || message.status === 'sent') return [];
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
    }
    case 'slack.reaction':
      await slack.addReaction(job.channelId, job.ts, job.name);
      return [];
    case 'slack.card': {
      const lead = await store.leads.get(job.leadId);
      const thread = lead && (await store.threads.get(lead.id, threadTargetOf(lead)));
      if (lead && thread) await updateCard(deps, lead, thread);
      return [];
    }
    case 'slack.claimed': {
      const lead = await store.leads.get(job.leadId);
      if (lead) await updateCard(deps, lead, { channelId: job.channelId, threadTs: job.ts });
      return [];
    }
    case 'slack.alert': {
      const lead = job.leadId ? await store.leads.get(job.leadId) : null;
      await slack.postDeliveryAlert(deps.teamChannelId, { lead, error: job.error });
      return [];
    }
    case 'slack.staff_name': {
      const name = await slack.lookupUserName(job.userId);
      if (name) await store.staff.setDisplayName(job.userId, name, deps.clock.now());
      return [];
    }
  }
}

/** Called once when a row is given up: tell staff what did not happen, in the lead's thread. */
export async function onDeliveryGivenUp(
  deps: Pick<DeliveryDeps, 'logger'>,
  item: OutboxItem,
  error: string,
  tx: Repos,
): Promise<OutboxEntry[]> {
  const job = item.job;
  const message = job.kind === 'line.push' ? await tx.messages.get(job.messageId) : null;
  const leadId = 'leadId' in job ? job.leadId : message?.leadId;
  deps.logger.error({ outboxId: item.id, kind: job.kind, leadId, error }, 'outbox delivery given up');
  if (job.kind !== 'line.push') return alertFor(item, error, tx);
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
}

/**
 * A Slack post that can never succeed (a removed channel, a revoked scope) is reported in the team
 * channel so staff learn that a lead's message or a notice did not reach them. An alert that
 * fails itself is only logged, so failures cannot chain.
 */
async function alertFor(item: OutboxItem, error: string, tx: Repos): Promise<OutboxEntry[]> {
  const job = item.job;
  if (job.kind === 'slack.alert' || job.kind === 'slack.reaction' || job.kind === 'slack.staff_name')
    return [];
  let leadId: string | null = null;
  if ('leadId' in job && job.leadId) leadId = job.leadId;
  else if ('messageId' in job) leadId = (await tx.messages.get(job.messageId))?.leadId ?? null;
  return [{ job: { kind: 'slack.alert', leadId, failedKind: job.kind, error }, orderKey: 'alerts' }];
}

/** The lead's thread for its current owner (or the team channel), posting the lead card first if needed. */
async function ensureThread(deps: DeliveryDeps, lead: Lead): Promise<LeadThread> {
  const target = threadTargetOf(lead);
  const existing = await deps.store.threads.get(lead.id, target);
  if (existing) return existing;
  const owner = lead.ownerId ? await deps.store.staff.get(lead.ownerId) : null;
  const channel = target === TEAM_TARGET ? deps.teamChannelId : target;
  const posted = await deps.slack.postLeadCard(channel, cardView(deps, lead, owner));
  const thread: LeadThread = { leadId: lead.id, target, channelId: posted.channelId, threadTs: posted.ts };
  await deps.store.threads.insert(thread, deps.clock.now());
  const history = await deps.store.messages.recentShown(lead.id, HISTORY_SIZE);
  if (history.length > 0) {
    // The history is a convenience copy of what an earlier thread already shows; losing it loses nothing.
    await deps.slack.postHistory(thread, history, lead).catch((error: unknown) => {
      deps.logger.warn({ leadId: lead.id, error: String(error) }, 'could not post the lead history');
    });
  }
  return thread;
}

async function updateCard(deps: DeliveryDeps, lead: Lead, card: { channelId: string; threadTs: string }) {
  const owner = lead.ownerId ? await deps.store.staff.get(lead.ownerId) : null;
  await deps.slack.updateLeadCard(card.channelId, card.threadTs, cardView(deps, lead, owner));
}

function cardView(deps: DeliveryDeps, lead: Lead, owner: Staff | null): LeadCardView {
  const followUp = followUpView(lead, followUpContext(deps.policy, deps.clock.now()));
  return { lead, owner, claimable: lead.ownerId === null, followUp };
}

import type { LostReason } from '../domain/follow-up/close-reason.ts';
import type { InboundContent } from '../domain/inbound-content.ts';
import type { Lead } from '../domain/lead.ts';
import type { LeadHistoryEntry } from '../domain/lead-history.ts';
import type { LineMessage } from '../domain/sequences/line-message-schema.ts';
import type { NewTouch } from './follow-up.ts';
import type { OutboxEntry } from './outbox.ts';
import type { SequenceNotice } from './sequences.ts';

// The relay: LINE events in, lead messages to Slack threads, rep replies back to LINE.

export interface StoredMessage {
  id: string;
  leadId: string;
  direction: 'inbound' | 'outbound';
  content: InboundContent;
  text: string | null;
  authorId: string | null;
  slackChannelId: string | null;
  slackTs: string | null;
  status: 'received' | 'pending' | 'sent' | 'failed';
  error: string | null;
  createdAt: Date;
}

export interface LeadThread {
  leadId: string;
  target: string;
  channelId: string;
  threadTs: string;
}

/** Outbox work of the relay: profiles, lead threads and cards, relayed messages, pushes, notices. */
export type RelayJob =
  | { kind: 'line.profile'; leadId: string }
  | { kind: 'line.push'; messageId: string }
  | { kind: 'slack.thread'; leadId: string }
  /** leadId lets delivery read the message, lead and threads at once (absent on older rows). */
  | { kind: 'slack.relay'; messageId: string; leadId?: string }
  | { kind: 'slack.notice'; leadId: string; notice: LeadNotice; threadTs?: string; channelId?: string }
  | { kind: 'slack.reaction'; channelId: string; ts: string; name: string }
  | { kind: 'slack.claimed'; leadId: string; channelId: string; ts: string; claimedBy: string }
  /** Refresh the lead card in place (chat.update) after a change. */
  | { kind: 'slack.card'; leadId: string };

/** What a lead's thread is told. */
export type LeadNotice =
  | { key: 'lead_blocked' }
  | { key: 'lead_unblocked' }
  | { key: 'lead_reassigned'; from: string | null; to: string | null }
  | { key: 'reply_forbidden'; userId: string }
  | { key: 'reply_lead_blocked' }
  /** A reply in a thread the lead has left: it now belongs to `to` (null: the team channel). */
  | { key: 'reply_moved'; to: string | null }
  | { key: 'reply_too_long' }
  | { key: 'reply_unsupported' }
  | { key: 'push_failed'; error: string }
  | { key: 'moved_to_nurture'; attempts: number }
  | { key: 'back_from_nurture'; attempts: number }
  | { key: 'segment_nearer'; from: string; to: string }
  /** Closed as won by `by`; with a handover date the lead is now a past customer. */
  | { key: 'lead_won'; by: string; handoverDate: string | null }
  /** Closed as lost by `by`, with the reason picked and the rep's note. */
  | { key: 'lead_lost'; by: string; reason: LostReason; note: string | null }
  /** In the previous owner's thread: `by` took the lead over from the team channel's alarm. */
  | { key: 'lead_taken_over'; by: string }
  /** In the new owner's thread: they took the lead over from `from` (null: the team). */
  | { key: 'took_over_lead'; from: string | null }
  /** A reply typed in an alarm's thread reaches nobody: how to help (`takenBy`: already taken). */
  | { key: 'alarm_thread_hint'; takenBy: string | null }
  /** The person's data was erased on request, by `by` (a manager). */
  | { key: 'lead_erased'; by: string }
  | { key: 'reply_lead_erased' }
  | SequenceNotice;

export type NewMessage = Omit<StoredMessage, 'error'> & { lineMessageId: string | null };

/** A lead's follow-up state after inbound messages (see touchEffects), written in bulk. */
export interface LeadMessageState {
  id: string;
  lastTouchAt: Date | null;
  lastAttemptAt: Date | null;
  unansweredAttempts: number;
  awaitingReplySince: Date | null;
  escalationLevel: number;
  stage: Lead['stage'];
  lastInboundAt: Date;
  /** Set when a message reactivates a lead that had blocked the account. */
  reactivated: boolean;
  /** Set when an out-of-hours acknowledgement was queued. */
  autoAckedAt: Date | null;
}

export interface NewWebhookEvent {
  webhookEventId: string;
  type: string;
  lineUserId: string | null;
  payload: unknown;
  eventAt: Date;
  receivedAt: Date;
}

/** What a batch of messages from known leads writes, all at once. */
export interface InboundBatch {
  messages: NewMessage[];
  touches: NewTouch[];
  /** The state each lead is left in, one per lead. */
  states: LeadMessageState[];
  entries: OutboxEntry[];
  /** What the messages changed about the leads (a reply brought one back from nurture...). */
  history: LeadHistoryEntry[];
  at: Date;
}

export interface DeadLetter {
  source: 'line_webhook';
  /** The event's webhookEventId, or a hash of its bytes when it has none. */
  key: string;
  reason: string;
  /** The item as JSON text. */
  raw: string;
  at: Date;
}

export interface RelayRepos {
  inbound: {
    /** Writes the messages, their touches, the leads' states and the outbox rows in one statement. */
    record(batch: InboundBatch): Promise<void>;
  };
  lineEvents: {
    /** Stores the events not stored before (ids must be distinct); returns the ids that were new. */
    insertManyOnce(events: NewWebhookEvent[]): Promise<Set<string>>;
  };
  /**
   * Keys of Slack deliveries already processed: a rep's message (`channel:ts`), a modal submission
   * (`view:…`) or a button press (`action:…`). Inserted in the transaction of the effect, so a key
   * is recorded exactly when its effect is; false when it was already there.
   */
  slackEvents: {
    insertOnce(eventId: string, receivedAt: Date): Promise<boolean>;
  };
  deadLetters: {
    /** Keeps what could not be processed, once per (source, key); true when it was new. */
    add(letter: DeadLetter): Promise<boolean>;
  };
  messages: {
    insert(
      input: Omit<StoredMessage, 'id' | 'error'> & { id?: string; lineMessageId?: string | null },
    ): Promise<StoredMessage>;
    get(id: string): Promise<StoredMessage | null>;
    markRelayed(id: string, channelId: string, ts: string): Promise<void>;
    markSent(id: string, at: Date): Promise<void>;
    markFailed(id: string, error: string): Promise<void>;
    /** The latest messages already shown in some Slack thread, oldest first. */
    recentShown(leadId: string, limit: number): Promise<StoredMessage[]>;
  };
  threads: {
    get(leadId: string, target: string): Promise<LeadThread | null>;
    findByChannelTs(channelId: string, threadTs: string): Promise<LeadThread | null>;
    listForLead(leadId: string): Promise<LeadThread[]>;
    insert(thread: LeadThread, at: Date): Promise<void>;
  };
}

export interface LineProfile {
  displayName: string;
  pictureUrl: string | null;
}

export interface LineMessenger {
  /** Null when LINE does not know the user or the user blocked the account (404). */
  getProfile(userId: string): Promise<LineProfile | null>;
  /** Throws DeliveryError. A 409 (retry key already accepted) counts as delivered and returns. */
  pushText(input: { to: string; texts: string[]; senderName: string; retryKey: string }): Promise<void>;
  /** Replies with a webhook's reply token (free of quota); throws DeliveryError when the token is no longer valid. */
  replyText(input: { replyToken: string; texts: string[] }): Promise<void>;
  /**
   * Step sequences: LINE message objects as the sequences file has them. Throws DeliveryError
   * (with `monthlyLimit` set when LINE refused for the month's quota); a 409 counts as delivered.
   */
  pushMessages(input: { to: string; messages: LineMessage[]; retryKey: string }): Promise<void>;
  /** The same messages to up to 500 users in one request; a 409 counts as delivered. */
  multicast(input: { to: string[]; messages: LineMessage[]; retryKey: string }): Promise<void>;
  replyMessages(input: { replyToken: string; messages: LineMessage[] }): Promise<void>;
  /**
   * This month's message quota: GET /v2/bot/message/quota and /v2/bot/message/quota/consumption.
   * `limit` is null when the plan has no limit.
   */
  getQuota(): Promise<{ limit: number | null; used: number }>;
}

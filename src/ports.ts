import type { Digest } from './domain/digest.ts';
import type { InboundContent } from './domain/inbound-content.ts';
import type { Lead, LeadSource } from './domain/lead.ts';
import type { FollowUpView } from './domain/lead-follow-up.ts';
import type { LeadHistoryEntry } from './domain/lead-history.ts';
import type { Staff, StaffRole } from './domain/staff.ts';

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

// ---- Stored records -------------------------------------------------------------------------

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

/** Work for LINE or Slack, written in the same transaction as the change that causes it. */
export type OutboxJob =
  | { kind: 'line.profile'; leadId: string }
  | { kind: 'line.push'; messageId: string }
  | { kind: 'slack.thread'; leadId: string }
  /** leadId lets delivery read the message, lead and threads at once (absent on older rows). */
  | { kind: 'slack.relay'; messageId: string; leadId?: string }
  | { kind: 'slack.notice'; leadId: string; notice: LeadNotice; threadTs?: string; channelId?: string }
  | { kind: 'slack.reaction'; channelId: string; ts: string; name: string }
  | { kind: 'slack.claimed'; leadId: string; channelId: string; ts: string; claimedBy: string }
  | { kind: 'slack.staff_name'; userId: string }
  /** Refresh the lead card in place (chat.update) after a change. */
  | { kind: 'slack.card'; leadId: string }
  /** A rep's morning digest for a business day, built when delivered. */
  | { kind: 'slack.digest'; repId: string; date: string }
  /** Speed-to-lead: 1 reminds the owner, 2 alerts the team channel, 3 tells one manager (`to`). */
  | { kind: 'slack.escalation'; leadId: string; level: number; minutes: number; to?: string }
  /** The one honest out-of-hours acknowledgement to a lead (free reply token while still valid). */
  | { kind: 'line.ack'; leadId: string; replyToken: string | null; receivedAt: string }
  | { kind: 'slack.alert'; leadId: string | null; failedKind: OutboxJob['kind']; error: string };

export type LeadNotice =
  | { key: 'lead_blocked' }
  | { key: 'lead_unblocked' }
  | { key: 'lead_reassigned'; from: string | null; to: string | null }
  | { key: 'reply_forbidden'; userId: string }
  | { key: 'reply_lead_blocked' }
  | { key: 'reply_too_long' }
  | { key: 'reply_unsupported' }
  | { key: 'push_failed'; error: string }
  | { key: 'moved_to_nurture'; attempts: number }
  | { key: 'back_from_nurture'; attempts: number }
  | { key: 'segment_nearer'; from: string; to: string }
  /** The person's data was erased on request, by `by` (a manager). */
  | { key: 'lead_erased'; by: string }
  | { key: 'reply_lead_erased' };

export interface OutboxItem {
  id: number;
  job: OutboxJob;
  orderKey: string;
  retryKey: string | null;
  attempts: number;
  createdAt: Date;
  /** The database's time at the claim: outbox ages are measured on the database clock, never the app's. */
  claimedAt: Date;
}

export interface OutboxEntry {
  job: OutboxJob;
  orderKey: string;
  /** Set for LINE pushes: the X-Line-Retry-Key every attempt reuses. */
  retryKey?: string;
  /** Work that must exist once (a rep's digest for a day): a second entry with the key is dropped. */
  dedupeKey?: string;
}

// ---- Repositories ---------------------------------------------------------------------------

export type LeadPatch = Partial<
  Pick<
    Lead,
    | 'purchaseTiming'
    | 'announcedSegment'
    | 'amountYen'
    | 'stage'
    | 'closedAt'
    | 'closeReason'
    | 'snoozedUntil'
    | 'handoverDate'
    | 'kind'
    | 'lastTouchAt'
    | 'lastAttemptAt'
    | 'unansweredAttempts'
    | 'awaitingReplySince'
    | 'escalationLevel'
    | 'autoAckedAt'
    | 'lastInboundAt'
    | 'status'
    | 'blockedAt'
  >
>;

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

export interface NewTouch {
  leadId: string;
  channel: 'line' | 'phone' | 'visit' | 'email' | 'letter' | 'other';
  direction: 'outbound' | 'inbound';
  outcome: 'reached' | 'no_answer' | 'left_message' | 'replied' | 'sent' | 'met' | 'other';
  note: string | null;
  authorId: string | null;
  messageId: string | null;
  at: Date;
}

export interface StoredTouch extends NewTouch {
  id: string;
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

/** What erasing a lead removes or anonymises, counted. */
export interface ErasureInventory {
  messages: number;
  touches: number;
  webhookEvents: number;
  outboxRows: number;
  deadLetters: number;
  historyNotes: number;
  threads: number;
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

export interface Repos {
  inbound: {
    /** Writes the messages, their touches, the leads' states and the outbox rows in one statement. */
    record(batch: InboundBatch): Promise<void>;
  };
  lineEvents: {
    /** Stores the events not stored before (ids must be distinct); returns the ids that were new. */
    insertManyOnce(events: NewWebhookEvent[]): Promise<Set<string>>;
  };
  slackEvents: {
    insertOnce(eventId: string, receivedAt: Date): Promise<boolean>;
  };
  deadLetters: {
    /** Keeps what could not be processed, once per (source, key); true when it was new. */
    add(letter: DeadLetter): Promise<boolean>;
  };
  leads: {
    /** `lock` takes the row lock for the rest of the transaction (serialises events of one lead). */
    findByLineUserId(lineUserId: string, opts?: { lock?: boolean }): Promise<Lead | null>;
    /** Reads and locks several leads, in id order so that concurrent transactions never deadlock. */
    lockManyByLineUserId(lineUserIds: string[]): Promise<Lead[]>;
    get(id: string): Promise<Lead | null>;
    /** Creates the lead, or returns the existing one (concurrent first events for one user). */
    insertOrGet(input: { lineUserId: string; source: LeadSource; status: 'active'; at: Date }): Promise<{
      lead: Lead;
      created: boolean;
    }>;
    setStatus(id: string, status: Lead['status'], at: Date): Promise<void>;
    setOwner(id: string, ownerId: string | null, at: Date): Promise<void>;
    /** Sets the owner only if the lead has none; false when someone else was first. */
    claim(id: string, ownerId: string, at: Date): Promise<boolean>;
    setProfile(
      id: string,
      profile: { displayName: string | null; pictureUrl: string | null },
      at: Date,
    ): Promise<void>;
    listActiveOwnedBy(ownerId: string): Promise<Lead[]>;
    /** Changes the follow-up fields of a lead (timing, amount, stage, snooze, denormalised touch state). */
    patch(id: string, patch: LeadPatch, at: Date): Promise<void>;
    /** Open and nurture leads of the given owners (the morning digest's input), for every owner when null. */
    listWorkable(ownerIds: string[] | null): Promise<Lead[]>;
    listAwaitingReply(): Promise<Lead[]>;
    /** Moves the escalation level from `from` to `to`; false when someone already moved it. */
    advanceEscalation(id: string, from: number, to: number, at: Date): Promise<boolean>;
    listWithTiming(): Promise<Lead[]>;
    /** Finds leads whose name contains `text` (case-insensitive), newest first. */
    search(text: string, limit: number): Promise<Lead[]>;
  };
  /** Erasing a person's data on request (APPI). */
  erasure: {
    /** What erasing the lead would remove, counted (the confirmation shows it). */
    inventory(lead: Lead): Promise<ErasureInventory>;
    /**
     * Deletes or anonymises everything stored that identifies the person: messages, touch notes,
     * raw webhook events and dead letters naming the LINE user, every outbox row about the lead,
     * profile fields. Null when the lead was already erased (the row stays locked until commit).
     */
    erase(lead: Lead, at: Date): Promise<ErasureInventory | null>;
  };
  /** The append-only lead history: written beside every lead change, in its transaction. */
  history: {
    append(entries: readonly LeadHistoryEntry[]): Promise<void>;
    /** Oldest first. */
    listForLead(leadId: string): Promise<LeadHistoryEntry[]>;
    /** Clears the free text people wrote in a lead's history (erasure; the facts stay). */
    eraseNotes(leadId: string): Promise<void>;
  };
  touches: {
    /** False when a touch for the same LINE message was already recorded. */
    insert(touch: NewTouch): Promise<boolean>;
    listForLead(leadId: string, limit: number): Promise<StoredTouch[]>;
    /** Documented outbound attempts (calls, visits, messages...) for the 4-touch rule. */
    countOutbound(leadId: string): Promise<number>;
  };
  cronRuns: CronRuns;
  staff: {
    get(slackUserId: string): Promise<Staff | null>;
    /** The display names known for these people; someone unknown or not yet named is left out. */
    displayNames(slackUserIds: string[]): Promise<Map<string, string>>;
    upsert(input: {
      slackUserId: string;
      role: StaffRole;
      displayName: string | null;
      at: Date;
    }): Promise<Staff>;
    /** Adds managers from configuration without demoting or renaming anyone. */
    ensureManager(slackUserId: string, at: Date): Promise<void>;
    deactivate(slackUserId: string, at: Date): Promise<boolean>;
    setDisplayName(slackUserId: string, displayName: string, at: Date): Promise<void>;
    listActive(): Promise<Staff[]>;
    /** Picks the active rep who was assigned a lead longest ago and marks them as just assigned. */
    takeNextRep(at: Date, excluding?: string): Promise<Staff | null>;
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
  outbox: {
    enqueue(entries: OutboxEntry[]): Promise<void>;
  };
}

export interface Store extends Repos {
  /** Runs `fn` in one database transaction; everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
}

// ---- Platforms -------------------------------------------------------------------------------

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
}

export interface LeadCardView {
  lead: Lead;
  owner: Staff | null;
  /** Where the lead stands in follow-up today (timing segment, amount band, next date). */
  followUp: FollowUpView;
  /** Show the 担当する button (team channel, unassigned). */
  claimable: boolean;
}

/** Per owner: open leads, leads waiting for an answer, neglected leads. */
export type TeamSummary = Array<{ ownerId: string; open: number; awaiting: number; neglected: number }>;

export interface EscalationView {
  level: number;
  minutes: number;
  lead: Lead;
  /** Where to post: the lead's thread (level 1), the team channel (2), a manager's DM (3). */
  channel: string;
  threadTs: string | null;
  ownerId: string | null;
}

export interface SlackPosted {
  channelId: string;
  ts: string;
}

/**
 * Which outbox row a Slack post belongs to. Slack has no idempotency key, so each post carries
 * this in its message metadata; a row that may already have posted (a retry after a crash or a
 * lost answer) first looks for its own tag and reuses that message instead of posting again.
 */
export interface SlackPostKey {
  outboxId: number;
  /** True when an earlier attempt may have reached Slack. */
  recheck: boolean;
  /** When the row was written: older messages need not be searched. */
  since: Date;
}

export interface SlackNotifier {
  /** The same notifier with every post tagged with (and, on `recheck`, first looked up by) `key`. */
  tagged(key: SlackPostKey): SlackNotifier;
  /** `channel` may be a user ID: Slack then posts in the bot's DM with that user. */
  postLeadCard(channel: string, view: LeadCardView): Promise<SlackPosted>;
  updateLeadCard(channelId: string, ts: string, view: LeadCardView): Promise<void>;
  postInboundMessage(thread: LeadThread, message: StoredMessage, lead: Lead): Promise<SlackPosted>;
  postHistory(thread: LeadThread, messages: StoredMessage[], lead: Lead): Promise<void>;
  postNotice(channelId: string, threadTs: string, notice: LeadNotice): Promise<void>;
  /** A manager's digest also carries the team summary. */
  postDigest(
    repId: string,
    digest: Digest,
    date: string,
    now: Date,
    team?: TeamSummary,
  ): Promise<SlackPosted>;
  postEscalation(input: EscalationView): Promise<void>;
  /** Tells the team channel that something could not be shown in Slack. */
  postDeliveryAlert(channelId: string, alert: { lead: Lead | null; error: string }): Promise<void>;
  addReaction(channelId: string, ts: string, name: string): Promise<void>;
  lookupUserName(userId: string): Promise<string | null>;
}

/** The delivery side of the outbox: what a worker needs to claim and settle rows. */
export interface OutboxQueue {
  /** Claims up to `limit` due rows (FOR UPDATE SKIP LOCKED), at most one per order key, oldest first. */
  claim(limit: number, leaseMs: number): Promise<OutboxItem[]>;
  complete(item: OutboxItem, followUps: OutboxEntry[]): Promise<void>;
  retryLater(item: OutboxItem, delayMs: number, error: string): Promise<void>;
  /** Marks the row failed; `followUps` runs in the same transaction and may read and write through `tx`. */
  giveUp(item: OutboxItem, error: string, followUps: (tx: Repos) => Promise<OutboxEntry[]>): Promise<void>;
  /** Rows written by another replica or held by backoff, so a worker knows when to look again. */
  nextDueInMs(): Promise<number | null>;
  /** Moves the lease of rows still being delivered `leaseMs` ahead (only for the attempt given). */
  extendLease(items: OutboxItem[], leaseMs: number): Promise<void>;
}

/** Records of scheduled job fires, shared by replicas so that each fire runs once. */
export interface CronRuns {
  /** True for the one caller that inserted `key` first, or that takes over a run left unfinished. */
  claim(key: string, job: string, at: Date, staleAfterMs: number): Promise<boolean>;
  finish(key: string, at: Date, error?: string): Promise<void>;
  isFinished(key: string): Promise<boolean>;
}

import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const staff = pgTable('staff', {
  slackUserId: text('slack_user_id').primaryKey(),
  role: text('role', { enum: ['rep', 'manager'] }).notNull(),
  active: boolean('active').notNull().default(true),
  displayName: text('display_name'),
  lastAssignedAt: tz('last_assigned_at'),
  createdAt: tz('created_at').notNull(),
  updatedAt: tz('updated_at').notNull(),
});

export const leads = pgTable(
  'leads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    lineUserId: text('line_user_id').notNull(),
    displayName: text('display_name'),
    pictureUrl: text('picture_url'),
    kind: text('kind', { enum: ['lead', 'customer'] })
      .notNull()
      .default('lead'),
    status: text('status', { enum: ['active', 'blocked'] }).notNull(),
    source: text('source', { enum: ['follow', 'message'] }).notNull(),
    ownerId: text('owner_id').references(() => staff.slackUserId),
    followedAt: tz('followed_at'),
    blockedAt: tz('blocked_at'),
    lastInboundAt: tz('last_inbound_at'),
    /** Expected purchase timing as 'YYYY-MM' or 'YYYY-MM-DD'; the segment is derived, never stored. */
    purchaseTiming: text('purchase_timing'),
    /** The segment the owner was last told about, to announce when the lead ages into a nearer one. */
    announcedSegment: text('announced_segment'),
    amountYen: bigint('amount_yen', { mode: 'number' }),
    stage: text('stage', { enum: ['open', 'nurture', 'won', 'lost'] })
      .notNull()
      .default('open'),
    closedAt: tz('closed_at'),
    closeReason: text('close_reason'),
    snoozedUntil: text('snoozed_until'),
    handoverDate: text('handover_date'),
    // Denormalised from touches so the morning digest reads one row per lead.
    lastTouchAt: tz('last_touch_at'),
    lastAttemptAt: tz('last_attempt_at'),
    unansweredAttempts: integer('unanswered_attempts').notNull().default(0),
    /** Set when a lead's message waits for a rep's answer; cleared by the answer. */
    awaitingReplySince: tz('awaiting_reply_since'),
    escalationLevel: integer('escalation_level').notNull().default(0),
    /** When the last alarm of the current wait went out (or the lead was taken over). */
    escalatedAt: tz('escalated_at'),
    autoAckedAt: tz('auto_acked_at'),
    /** Set when the person's data was erased on request (APPI): the row keeps only what statistics need. */
    erasedAt: tz('erased_at'),
    /** Set when the lead sent an opt-out keyword (配信停止): no step sequence reaches them. */
    optedOutAt: tz('opted_out_at'),
    /** When 「ご検討時期は？」 was asked again because the timing had passed with no news (once). */
    timingAskedAt: tz('timing_asked_at'),
    createdAt: tz('created_at').notNull(),
    updatedAt: tz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('leads_line_user_id_key').on(t.lineUserId),
    index('leads_owner_idx').on(t.ownerId, t.stage),
    index('leads_awaiting_idx').on(t.awaitingReplySince).where(sql`${t.awaitingReplySince} is not null`),
  ],
);

export const touches = pgTable(
  'touches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id),
    channel: text('channel', { enum: ['line', 'phone', 'visit', 'email', 'letter', 'other'] }).notNull(),
    direction: text('direction', { enum: ['outbound', 'inbound'] }).notNull(),
    outcome: text('outcome', {
      enum: ['reached', 'no_answer', 'left_message', 'replied', 'sent', 'met', 'other'],
    }).notNull(),
    note: text('note'),
    authorId: text('author_id'),
    messageId: uuid('message_id'),
    at: tz('at').notNull(),
    createdAt: tz('created_at').notNull(),
  },
  (t) => [
    index('touches_lead_idx').on(t.leadId, t.at),
    uniqueIndex('touches_message_key').on(t.messageId),
    // The managers' numbers read touches by period (first responses, activity, the weekly trend).
    index('touches_at_idx').on(t.at, t.direction),
    // A rep's own attempts in a period (their numbers, the per-rep rows).
    index('touches_author_idx').on(t.authorId, t.at).where(sql`${t.direction} = 'outbound'`),
  ],
);

/** One row per scheduled fire of a job, shared by all replicas: the first to insert runs it. */
export const cronRuns = pgTable('cron_runs', {
  key: text('key').primaryKey(),
  job: text('job').notNull(),
  startedAt: tz('started_at').notNull(),
  finishedAt: tz('finished_at'),
  error: text('error'),
});

/** A Slack thread that mirrors one lead's conversation: in its owner's DM, or in the team channel. */
export const leadThreads = pgTable(
  'lead_threads',
  {
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id),
    /** The owner's Slack user ID, or 'team' for the team channel. */
    target: text('target').notNull(),
    channelId: text('channel_id').notNull(),
    threadTs: text('thread_ts').notNull(),
    createdAt: tz('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.leadId, t.target] }),
    uniqueIndex('lead_threads_channel_ts_key').on(t.channelId, t.threadTs),
  ],
);

/**
 * The team channel's alarms about unanswered messages, as posted: a press of 代わりに対応する and a
 * reply in the alarm's thread are recognised by channel and ts.
 */
export const escalationAlarms = pgTable(
  'escalation_alarms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id),
    channelId: text('channel_id').notNull(),
    ts: text('ts').notNull(),
    /** The owner the alarm named (null: the team). */
    ownerId: text('owner_id'),
    waitingSince: tz('waiting_since').notNull(),
    waitedMinutes: integer('waited_minutes').notNull(),
    postedAt: tz('posted_at').notNull(),
    takenBy: text('taken_by'),
    takenAt: tz('taken_at'),
    hintedAt: tz('hinted_at'),
  },
  (t) => [
    uniqueIndex('escalation_alarms_channel_ts_key').on(t.channelId, t.ts),
    index('escalation_alarms_lead_idx').on(t.leadId),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    kind: text('kind').notNull(),
    text: text('text'),
    payload: jsonb('payload').notNull(),
    lineMessageId: text('line_message_id'),
    authorId: text('author_id'),
    slackChannelId: text('slack_channel_id'),
    slackTs: text('slack_ts'),
    status: text('status', { enum: ['received', 'pending', 'sent', 'failed'] }).notNull(),
    error: text('error'),
    createdAt: tz('created_at').notNull(),
    sentAt: tz('sent_at'),
  },
  (t) => [index('messages_lead_idx').on(t.leadId, t.createdAt)],
);

export const lineWebhookEvents = pgTable('line_webhook_events', {
  webhookEventId: text('webhook_event_id').primaryKey(),
  type: text('type').notNull(),
  lineUserId: text('line_user_id'),
  payload: jsonb('payload').notNull(),
  eventAt: tz('event_at').notNull(),
  receivedAt: tz('received_at').notNull(),
});

export const slackEvents = pgTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: tz('received_at').notNull(),
});

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    /** Rows sharing an order key are delivered strictly one after another, in id order. */
    orderKey: text('order_key').notNull(),
    payload: jsonb('payload').notNull(),
    /** LINE X-Line-Retry-Key, fixed when the row is written so every attempt reuses it. */
    retryKey: uuid('retry_key'),
    status: text('status', { enum: ['pending', 'processing', 'done', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    runAt: tz('run_at').notNull().defaultNow(),
    /**
     * Due rows are claimed lowest first: 0 the conversation (the default), 1 a dispatch run's step
     * sends, 2 their thread lines and cards (LANE_PRIORITY in db/repositories/outbox-repository.ts).
     */
    priority: smallint('priority').notNull().default(0),
    lockedUntil: tz('locked_until'),
    lastError: text('last_error'),
    /** Work that must happen once per key (a rep's digest for a day) is enqueued at most once. */
    dedupeKey: text('dedupe_key'),
    createdAt: tz('created_at').notNull().defaultNow(),
    doneAt: tz('done_at'),
  },
  (t) => [
    index('outbox_due_idx')
      .on(t.priority, t.runAt, t.id)
      .where(sql`${t.status} in ('pending', 'processing')`),
    index('outbox_order_idx').on(t.orderKey, t.id).where(sql`${t.status} in ('pending', 'processing')`),
    uniqueIndex('outbox_dedupe_key').on(t.dedupeKey),
  ],
);

/**
 * What could not be stored or processed, kept whole with the reason so nothing is silently lost:
 * a webhook event PostgreSQL refused, or one that is not a LINE event at all. One row per key
 * (the event's webhookEventId, or a hash of its bytes), so redeliveries do not pile up.
 */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    source: text('source').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    reason: text('reason').notNull(),
    /** The item as received, as JSON text (escaped, so any byte sequence fits). */
    raw: text('raw').notNull(),
    receivedAt: tz('received_at').notNull(),
  },
  (t) => [uniqueIndex('dead_letters_source_key').on(t.source, t.dedupeKey)],
);

/**
 * The append-only record of what happened to each lead (created, owner, stage, purchase timing,
 * amount, blocked, erased), written in the same transaction as the change. Statistics and the
 * step-sequence triggers read it. A database trigger refuses updates and deletes, except the
 * erasure of a lead's free-text notes (see the migration 0003).
 */
export const leadHistory = pgTable(
  'lead_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id),
    at: tz('at').notNull(),
    /** A staff member's Slack user ID, or 'system'. */
    actor: text('actor').notNull(),
    fact: text('fact', {
      enum: [
        'created',
        'owner_changed',
        'stage_changed',
        'timing_changed',
        'amount_changed',
        'blocked',
        'unblocked',
        'erased',
      ],
    }).notNull(),
    oldValue: jsonb('old_value'),
    newValue: jsonb('new_value'),
    /** Why: round_robin/claim/reassign/hand_over/take_over, won/lost/..., rep/lead/ageing. */
    reason: text('reason'),
    /** Free text a person wrote (a lost reason); erased with the lead. */
    note: text('note'),
  },
  (t) => [
    index('lead_history_lead_idx').on(t.leadId, t.at),
    index('lead_history_fact_idx').on(t.fact, t.at),
    // Who owned a lead at a moment (the managers' numbers ask it for every conversation).
    index('lead_history_owner_idx').on(t.leadId, t.at, t.id).where(sql`${t.fact} = 'owner_changed'`),
  ],
);

/**
 * Tags on a lead (趣味・関心): an answer to 「特に気になることは？」, or added by a rep on the card.
 * Sequences filter their audience by them, and `trigger: tag` starts when one is added.
 */
export const leadTags = pgTable(
  'lead_tags',
  {
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id),
    tag: text('tag').notNull(),
    /** A staff member's Slack user ID, or 'lead' when the lead answered the question. */
    addedBy: text('added_by').notNull(),
    addedAt: tz('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.tag] }), index('lead_tags_tag_idx').on(t.tag)],
);

/**
 * A lead's place in one step sequence (ステップ配信). The dispatcher claims active rows whose
 * `send_at` has come (FOR UPDATE SKIP LOCKED), writes the step's outbox row and advances the row in
 * the same transaction, so several replicas send each step once.
 */
export const sequenceEnrolments = pgTable(
  'sequence_enrolments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id),
    /** The sequence's id in the sequences file (stable across edits). */
    sequenceId: text('sequence_id').notNull(),
    trigger: text('trigger').notNull(),
    state: text('state', { enum: ['active', 'paused', 'completed', 'stopped'] }).notNull(),
    stopReason: text('stop_reason'),
    /** The index of the next step to send (0-based). */
    nextStep: integer('next_step').notNull().default(0),
    /** When the next step is due by the sequence: its anchor plus its delay (and time of day). */
    dueAt: tz('due_at'),
    /** When the dispatcher looks at it again: the due moment moved by quiet hours, cap and quota. */
    sendAt: tz('send_at'),
    pausedAt: tz('paused_at'),
    /** A paused enrolment resumes by itself then (SEQUENCE_RESUME_DAYS after the lead's last message). */
    resumeAt: tz('resume_at'),
    /** Who enrolled the lead: a staff member's Slack user ID, or 'system' for a trigger. */
    enrolledBy: text('enrolled_by').notNull(),
    enrolledAt: tz('enrolled_at').notNull(),
    endedAt: tz('ended_at'),
    updatedAt: tz('updated_at').notNull(),
  },
  (t) => [
    index('sequence_enrolments_lead_idx').on(t.leadId),
    index('sequence_enrolments_sequence_idx').on(t.sequenceId, t.state),
    index('sequence_enrolments_send_idx').on(t.sendAt).where(sql`${t.state} = 'active'`),
    index('sequence_enrolments_resume_idx').on(t.resumeAt).where(sql`${t.state} = 'paused'`),
    uniqueIndex('sequence_enrolments_live_key')
      .on(t.leadId, t.sequenceId)
      .where(sql`${t.state} in ('active', 'paused')`),
  ],
);

/**
 * Each step a lead was sent (or skipped): the automated outbound LINE messages, kept apart from
 * touches so they never count as a rep's attempt. The weekly cap counts these.
 */
export const stepSends = pgTable(
  'step_sends',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    enrolmentId: uuid('enrolment_id')
      .notNull()
      .references(() => sequenceEnrolments.id),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id),
    sequenceId: text('sequence_id').notNull(),
    stepIndex: integer('step_index').notNull(),
    /** queued: its outbox row is written; held: LINE's monthly quota is spent, it waits for quota. */
    status: text('status', { enum: ['queued', 'sent', 'held', 'failed', 'skipped'] }).notNull(),
    /** The X-Line-Retry-Key of its push (a multicast row carries its own). */
    retryKey: uuid('retry_key'),
    /** When the step was dispatched: the weekly cap counts from here. */
    dispatchedAt: tz('dispatched_at').notNull(),
    sentAt: tz('sent_at'),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('step_sends_enrolment_step_key').on(t.enrolmentId, t.stepIndex),
    index('step_sends_lead_idx').on(t.leadId, t.dispatchedAt),
    index('step_sends_held_idx').on(t.dispatchedAt).where(sql`${t.status} = 'held'`),
  ],
);

/** LINE's monthly message quota as last seen: whether step sends are held, and which warnings went out. */
export const lineQuotaState = pgTable('line_quota_state', {
  /** 'YYYY-MM' in BUSINESS_TIMEZONE: LINE counts the quota per calendar month. */
  month: text('month').primaryKey(),
  /** Set when LINE refused a step send for the monthly limit; cleared when quota returns. */
  heldSince: tz('held_since'),
  warned80At: tz('warned_80_at'),
  warned100At: tz('warned_100_at'),
  updatedAt: tz('updated_at').notNull(),
});

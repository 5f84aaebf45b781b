/** What became of one LINE webhook event (or of a whole webhook refused before its events were read). */
export const LINE_EVENT_RESULTS = ['stored', 'duplicate', 'dead_lettered', 'rejected', 'failed'] as const;
/** How one request to /slack/events ended. */
export const SLACK_REQUEST_RESULTS = ['ok', 'error', 'ack_timeout', 'bad_signature', 'bad_request'] as const;
/** What one outbox delivery attempt led to. */
export const DELIVERY_RESULTS = ['sent', 'retried', 'given_up'] as const;
/** One job fire on this replica: run to the end, failed, or already claimed by another replica. */
export const JOB_RESULTS = ['success', 'error', 'skipped'] as const;

export type LineEventResult = (typeof LINE_EVENT_RESULTS)[number];
export type SlackRequestResult = (typeof SLACK_REQUEST_RESULTS)[number];
export type DeliveryResult = (typeof DELIVERY_RESULTS)[number];
export type JobResult = (typeof JOB_RESULTS)[number];

/**
 * The counts an operator scrapes, as the rest of the code reports them. Per process: every replica
 * counts what it handled itself (Prometheus sums them). What the database knows (the outbox
 * backlog, leads awaiting a reply) is read at scrape time instead, by the metrics adapter.
 */
export interface Metrics {
  lineWebhookEvent(type: string, result: LineEventResult): void;
  slackRequest(kind: string, result: SlackRequestResult): void;
  outboxDelivery(kind: string, result: DeliveryResult): void;
  /** Seconds from a lead's message (its LINE timestamp) to its post in Slack. */
  relayed(seconds: number): void;
  jobRun(job: string, result: JobResult, at: Date): void;
}

/** For parts built without metrics (unit tests, tools): counts nothing. */
export const noMetrics: Metrics = {
  lineWebhookEvent() {},
  slackRequest() {},
  outboxDelivery() {},
  relayed() {},
  jobRun() {},
};

/** The database's side of the picture, read once per scrape. */
export interface OperationalGauges {
  /** Outbox rows not delivered yet: pending, or being delivered. */
  outboxPending: number;
  /** Age of the oldest of those rows on the database clock; 0 when there is none. */
  outboxOldestPendingSeconds: number;
  /** Leads whose last message still waits for a rep's answer. */
  leadsAwaitingReply: number;
}

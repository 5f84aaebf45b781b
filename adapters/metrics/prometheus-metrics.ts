import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type {
  DeliveryResult,
  JobResult,
  LineEventResult,
  Metrics,
  OperationalGauges,
  SlackRequestResult,
} from '../../src/metrics.ts';
import type { Logger } from '../../src/ports.ts';

/** A scrape must answer even when the database does not: past this, the database gauges are NaN. */
const DATABASE_TIMEOUT_MS = 2000;

/** From a relay on the happy path (well under a second) to one held up by Slack retries. */
export const RELAY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface PrometheusMetricsOptions {
  /** Reads what the database knows; called once per scrape. */
  readGauges: () => Promise<OperationalGauges>;
  logger: Logger;
}

/**
 * The Metrics port on prom-client. Each instance has its own Registry (never the global one), so
 * several services in one process (tests, the sandbox) keep separate counts. Counters are this
 * process's own; the database gauges are read when Prometheus scrapes, so every replica reports the
 * same values for them.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly options: PrometheusMetricsOptions;
  private reading: Promise<OperationalGauges | null> | undefined;
  private readonly lineEvents: Counter<'type' | 'result'>;
  private readonly slackRequests: Counter<'kind' | 'result'>;
  private readonly deliveries: Counter<'kind' | 'result'>;
  private readonly relaySeconds: Histogram;
  private readonly jobRuns: Counter<'job' | 'result'>;
  private readonly jobLastSuccess: Gauge<'job'>;

  constructor(options: PrometheusMetricsOptions) {
    this.options = options;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.lineEvents = new Counter({
      name: 'tsuikyaku_line_webhook_events_total',
      help: 'LINE webhook events by LINE event type and outcome (a webhook refused whole counts once, type unknown).',
      labelNames: ['type', 'result'],
      registers,
    });
    this.slackRequests = new Counter({
      name: 'tsuikyaku_slack_requests_total',
      help: 'Requests to /slack/events by kind and outcome.',
      labelNames: ['kind', 'result'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'tsuikyaku_outbox_deliveries_total',
      help: 'Outbox delivery attempts by job kind and outcome: sent, retried or given_up.',
      labelNames: ['kind', 'result'],
      registers,
    });
    this.relaySeconds = new Histogram({
      name: 'tsuikyaku_relay_seconds',
      help: "Seconds from a lead's LINE message (LINE's event timestamp) to its post in Slack.",
      buckets: RELAY_BUCKETS,
      registers,
    });
    this.jobRuns = new Counter({
      name: 'tsuikyaku_job_runs_total',
      help: 'Job fires on this replica: success, error, or skipped (another replica ran it).',
      labelNames: ['job', 'result'],
      registers,
    });
    this.jobLastSuccess = new Gauge({
      name: 'tsuikyaku_job_last_success_timestamp_seconds',
      help: 'When this replica last finished each job (Unix seconds); take the max over replicas.',
      labelNames: ['job'],
      registers,
    });
    const fromDatabase = (name: string, help: string, value: (gauges: OperationalGauges) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect: async function (this: Gauge) {
          const gauges = await readOnce();
          this.set(gauges ? value(gauges) : Number.NaN);
        },
      });
    const readOnce = () => this.readGaugesOnce();
    fromDatabase(
      'tsuikyaku_outbox_pending',
      'Outbox rows not delivered yet (pending or being delivered), from the database.',
      (g) => g.outboxPending,
    );
    fromDatabase(
      'tsuikyaku_outbox_oldest_pending_seconds',
      'Age of the oldest undelivered outbox row on the database clock; 0 when there is none.',
      (g) => g.outboxOldestPendingSeconds,
    );
    fromDatabase(
      'tsuikyaku_leads_awaiting_reply',
      "Leads whose last message still waits for a rep's answer, from the database.",
      (g) => g.leadsAwaitingReply,
    );
    new Gauge({
      name: 'tsuikyaku_database_up',
      help: "1 when this scrape's database read answered; 0 when it failed or timed out (the database gauges are then NaN).",
      registers,
      collect: async function (this: Gauge) {
        this.set((await readOnce()) ? 1 : 0);
      },
    });
  }

  lineWebhookEvent(type: string, result: LineEventResult): void {
    this.lineEvents.inc({ type: labelValue(type), result });
  }

  slackRequest(kind: string, result: SlackRequestResult): void {
    this.slackRequests.inc({ kind: labelValue(kind), result });
  }

  outboxDelivery(kind: string, result: DeliveryResult): void {
    this.deliveries.inc({ kind: labelValue(kind), result });
  }

  relayed(seconds: number): void {
    // Replicas' clocks may differ by a little: a negative latency is none.
    this.relaySeconds.observe(Math.max(0, seconds));
  }

  jobRun(job: string, result: JobResult, at: Date): void {
    this.jobRuns.inc({ job: labelValue(job), result });
    if (result === 'success') this.jobLastSuccess.set({ job: labelValue(job) }, at.getTime() / 1000);
  }

  /**
   * prom-client asks every metric at once, so the gauges of one scrape share one read: the first
   * collect starts it, the others join it, and the next scrape reads again.
   */
  private readGaugesOnce(): Promise<OperationalGauges | null> {
    if (!this.reading) {
      this.reading = this.readGauges().finally(() => {
        this.reading = undefined;
      });
    }
    return this.reading;
  }

  private async readGauges(): Promise<OperationalGauges | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)),
        DATABASE_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([this.options.readGauges(), timeout]);
    } catch (error) {
      this.options.logger.warn({ error: String(error) }, 'metrics: could not read the database gauges');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Label values come from platform payloads (LINE event types, Slack event types): anything odd is
 * folded into one value, so a strange payload cannot create a new time series per request.
 */
function labelValue(value: string): string {
  return /^[A-Za-z0-9_./-]{1,48}$/.test(value) ? value : 'other';
}

import { type BackoffSettings, retryDelayMs, shouldGiveUp } from './domain/retry-policy.ts';
import { DeliveryError, isPermanentDataError } from './errors.ts';
import { type Metrics, noMetrics } from './metrics.ts';
import type { Logger, OutboxEntry, OutboxItem, OutboxQueue, Repos } from './ports.ts';

export interface OutboxWorkerOptions {
  queue: OutboxQueue;
  logger: Logger;
  deliver: (item: OutboxItem) => Promise<OutboxEntry[]>;
  onGiveUp: (item: OutboxItem, error: string, tx: Repos) => Promise<OutboxEntry[]>;
  concurrency: number;
  pollMs: number;
  backoff: BackoffSettings;
  /** A crashed replica's rows are claimable again after this long (renewed while delivering). */
  leaseMs?: number;
  metrics?: Metrics;
  /** Requests being answered: meanwhile at most INBOUND_CONCURRENCY deliveries run. */
  inbound?: { busy: boolean; whenClear(maxMs: number): Promise<void> };
}

/** Deliveries in flight while the server answers requests (the rest wait until it is done). */
export const INBOUND_CONCURRENCY = 2;

/**
 * Short, so that the rows a crashed replica held resume within seconds; a live worker renews the
 * lease of what it is still delivering every third of it, so a slow call (up to the outbound
 * timeout) never lets another replica take the row meanwhile.
 */
export const DEFAULT_LEASE_MS = 15_000;

/**
 * Delivers outbox rows. `kick()` after a commit starts delivery at once (no polling delay on the
 * happy path); a slow poll picks up rows written by other replicas and rows waiting on backoff.
 */
export class OutboxWorker {
  private readonly options: OutboxWorkerOptions;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly leased = new Map<number, OutboxItem>();
  private renewTimer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private rerun = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private awaitingInbound = false;

  constructor(options: OutboxWorkerOptions) {
    this.options = options;
  }

  start(): void {
    this.stopped = false;
    this.kick();
    const every = this.leaseMs / 3;
    this.renewTimer = setInterval(() => void this.renewLeases(), every);
    this.renewTimer.unref();
  }

  private get metrics(): Metrics {
    return this.options.metrics ?? noMetrics;
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private async renewLeases(): Promise<void> {
    if (this.leased.size === 0) return;
    try {
      await this.options.queue.extendLease([...this.leased.values()], this.leaseMs);
    } catch (error) {
      this.options.logger.warn({ error: String(error) }, 'could not renew outbox leases; will try again');
    }
  }

  /** Looks for due rows now. Cheap to call often: concurrent calls coalesce. */
  /** Deliveries are under way now (the statistics rest between their queries meanwhile). */
  get delivering(): boolean {
    return this.inFlight.size > 0;
  }

  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.rerun = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.rerun) {
        this.rerun = false;
        this.kick();
      }
    });
  }

  /**
   * Resolves once no row is pending or in flight anywhere (this worker's deliveries settled and
   * the table holds nothing left to deliver, backoff included). Tests use it to assert that
   * nothing was sent after the queue drained, instead of sleeping. Rejects after `timeoutMs`.
   */
  async whenIdle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.draining || this.inFlight.size > 0) {
        await Promise.allSettled([this.draining, ...this.inFlight]);
      }
      const due = await this.options.queue.nextDueInMs();
      if (due === null && !this.draining && this.inFlight.size === 0) return;
      if (Date.now() >= deadline)
        throw new Error(`outbox not idle after ${timeoutMs} ms (next due in ${due} ms)`);
      this.kick();
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(5, due ?? 5))));
    }
  }

  /** Stops claiming and waits for deliveries in flight, so a shutdown never abandons a call midway. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.renewTimer);
    // A claim under way may still hand out rows; they join inFlight before the drain ends.
    while (this.draining || this.inFlight.size > 0) {
      await Promise.allSettled([this.draining, ...this.inFlight]);
    }
  }

  private async drain(): Promise<void> {
    const { queue, concurrency, logger } = this.options;
    try {
      for (;;) {
        if (this.stopped) return;
        // Webhooks and slash commands first (they have deadlines, the outbox has a queue): while
        // the server answers them, only a trickle of deliveries runs, and all resume after.
        const yielding = this.options.inbound?.busy ?? false;
        if (yielding) this.resumeWhenInboundClear();
        const limit = yielding ? Math.min(concurrency, INBOUND_CONCURRENCY) : concurrency;
        const room = limit - this.inFlight.size;
        if (room <= 0) return;
        // A busy worker claims a few rows at a time, not one per delivery that ends: the claims
        // would otherwise be a third of the database's statements (on PGlite, which runs one at a
        // time, a third of the time). Each delivery that ends kicks again.
        if (this.inFlight.size > 0 && room < Math.min(CLAIM_BATCH, limit)) return;
        const items = await queue.claim(room, this.leaseMs);
        if (items.length === 0) break;
        for (const item of items) this.track(this.process(item));
        if (items.length < room) break;
      }
    } catch (error) {
      logger.error({ error: String(error) }, 'outbox claim failed; will retry');
    }
    this.schedulePoll();
  }

  /** Back to full concurrency once the server has answered its requests (checked again each second). */
  private resumeWhenInboundClear(): void {
    const { inbound } = this.options;
    if (!inbound || this.awaitingInbound) return;
    this.awaitingInbound = true;
    void inbound.whenClear(1000).then(() => {
      this.awaitingInbound = false;
      this.kick();
    });
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.kick();
    });
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    if (this.inFlight.size > 0) {
      // Each delivery kicks the worker as it ends, so a busy worker need not ask the database
      // after every claim (thousands of times a second in a burst); a plain timer still picks up
      // other replicas' rows if every call in flight is a slow one.
      this.timer = setTimeout(() => this.kick(), this.options.pollMs);
      this.timer.unref();
      return;
    }
    const poll = async () => {
      try {
        const due = await this.options.queue.nextDueInMs();
        if (due !== null && due <= 0) return this.kick();
        this.timer = setTimeout(
          () => this.kick(),
          Math.min(this.options.pollMs, Math.max(10, due ?? Infinity)),
        );
        this.timer.unref();
      } catch {
        this.timer = setTimeout(() => this.kick(), this.options.pollMs);
        this.timer.unref();
      }
    };
    this.timer = setTimeout(() => void poll(), 0);
    this.timer.unref();
  }

  private async process(item: OutboxItem): Promise<void> {
    this.leased.set(item.id, item);
    try {
      await this.deliverAndSettle(item);
    } finally {
      this.leased.delete(item.id);
    }
  }

  private async deliverAndSettle(item: OutboxItem): Promise<void> {
    let followUps: OutboxEntry[];
    try {
      followUps = await this.options.deliver(item);
    } catch (error) {
      await this.settle(item, () => this.recordFailure(item, error));
      return;
    }
    this.metrics.outboxDelivery(item.job.kind, 'sent');
    // The call succeeded: insist on recording it, since redelivering would post to Slack twice.
    await this.settle(item, () => this.options.queue.complete(item, followUps));
  }

  private async recordFailure(item: OutboxItem, error: unknown): Promise<void> {
    const { queue, logger } = this.options;
    const message = describeError(error);
    // A platform's final "no" or data the database refuses for good: retrying cannot help, and
    // the row would hold up every later row of its lead until the 23-hour give-up.
    const permanent =
      (error instanceof DeliveryError && error.retry === 'never') || isPermanentDataError(error);
    if (permanent || shouldGiveUp(item.createdAt, item.claimedAt)) {
      await queue.giveUp(item, message, (tx) => this.options.onGiveUp(item, message, tx));
      this.metrics.outboxDelivery(item.job.kind, 'given_up');
      return;
    }
    const retryAfter = error instanceof DeliveryError ? error.retryAfterMs : undefined;
    const delay = retryDelayMs(item.attempts, this.options.backoff, retryAfter, Math.random());
    logger.warn(
      {
        outboxId: item.id,
        kind: item.job.kind,
        ...('leadId' in item.job && item.job.leadId ? { leadId: item.job.leadId } : {}),
        attempts: item.attempts,
        delay,
        error: message,
      },
      'delivery will be retried',
    );
    await queue.retryLater(item, delay, message);
    this.metrics.outboxDelivery(item.job.kind, 'retried');
  }

  private async settle(item: OutboxItem, write: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (attempt >= SETTLE_ATTEMPTS || this.stopped) {
          // The lease expires and the row is tried again; the retry key keeps a LINE push single.
          this.options.logger.error(
            { outboxId: item.id, error: String(error) },
            'could not record the delivery outcome',
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}

const SETTLE_ATTEMPTS = 6;
/** The fewest rows a worker with deliveries in flight claims at once. */
const CLAIM_BATCH = 4;

/** Database errors wrap the driver's reason in `cause`; the reason is what an operator needs. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause ? `${cause} (${error.message.split('\n')[0]})` : error.message;
}

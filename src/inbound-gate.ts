/**
 * The HTTP requests being answered now (LINE webhooks, Slack events and commands). Background work
 * (the outbox worker) runs only a trickle while they are answered: a slash command must be acknowledged
 * within Slack's 3 s and a webhook answered at once, and a worker that always has rows to send would
 * otherwise keep the event loop full. Requests come in bursts (a team asking at 9:00, a lead's
 * photos), so the gate stays shut for a moment after the last one ends. Every wait is bounded: a
 * steady stream of requests slows the background work without ever stopping it.
 */
export class InboundGate {
  private active = 0;
  private lastLeftAt = Number.NEGATIVE_INFINITY;
  private waiters: Array<() => void> = [];
  private readonly graceMs: number;
  private readonly now: () => number;

  constructor(options: { graceMs?: number; now?: () => number } = {}) {
    this.graceMs = options.graceMs ?? 20;
    this.now = options.now ?? (() => performance.now());
  }

  /** A request is being answered, or one ended less than the grace period ago. */
  get busy(): boolean {
    return this.active > 0 || this.now() - this.lastLeftAt < this.graceMs;
  }

  enter(): void {
    this.active += 1;
  }

  leave(): void {
    this.active = Math.max(0, this.active - 1);
    this.lastLeftAt = this.now();
    if (this.active === 0) this.releaseAfterGrace();
  }

  /** Resolves once the gate is open (no request, and the grace period over), or after `maxMs`. */
  whenClear(maxMs: number): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => {
      // A bound, not a wait for a condition: the requests ending resolve it first.
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      }, maxMs);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
      if (this.active === 0) this.releaseAfterGrace();
    });
  }

  private releaseAfterGrace(): void {
    const wait = this.graceMs - (this.now() - this.lastLeftAt);
    // The grace period: another request of the same burst usually arrives within it.
    const timer = setTimeout(() => {
      if (this.busy) return;
      const waiters = this.waiters;
      this.waiters = [];
      for (const waiter of waiters) waiter();
    }, Math.max(0, wait) + 1);
    timer.unref();
  }
}

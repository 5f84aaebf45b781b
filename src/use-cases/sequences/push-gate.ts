/**
 * One process's pushes of step messages, kept under LINE's push rate. The outbox paces a run's
 * rows over time for every replica together; this smooths what one worker sends when it catches
 * up after a slow stretch (rows that fell due meanwhile go at once), which would otherwise burst
 * past 2,000 requests a second and be answered 429, and then wait out a backoff.
 */
export class PushGate {
  private nextAt = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;
  private readonly burstMs: number;
  private readonly now: () => number;

  /**
   * @param perSecond pushes a second, on average
   * @param burstMs how far behind the schedule a push may go at once: `burstMs * perSecond / 1000`
   *   pushes may go together after a pause, and no 1-second window sees more than
   *   `perSecond * (1 + burstMs / 1000)`
   * @param now a monotonic clock in milliseconds
   */
  constructor(perSecond: number, burstMs = 20, now: () => number = () => performance.now()) {
    this.intervalMs = 1000 / perSecond;
    this.burstMs = burstMs;
    this.now = now;
  }

  /** Books the next push's moment; returns how many milliseconds to wait for it (0: go now). */
  reserve(): number {
    const now = this.now();
    const at = Math.max(now - this.burstMs, this.nextAt);
    this.nextAt = at + this.intervalMs;
    return Math.max(0, at - now);
  }

  /** Resolves when the next push may go. */
  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await new Promise<void>((resolve) => setTimeout(resolve, wait));
  }
}

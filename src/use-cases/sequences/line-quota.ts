import { localDate } from '../../domain/business-calendar.ts';
import { isManager } from '../../domain/staff.ts';
import type { Clock, LineMessenger, Logger, OutboxEntry, QuotaNotice, Repos, Store } from '../../ports.ts';

/** How long a quota reading is trusted before LINE is asked again. */
export const QUOTA_CACHE_MS = 60_000;

export interface QuotaReading {
  limit: number | null;
  used: number;
  at: number;
}

/** 'YYYY-MM' of `now` in `timezone`: LINE counts its quota per calendar month (JST). */
export function quotaMonth(now: Date, timezone: string): string {
  return localDate(now, timezone).slice(0, 7);
}

/** One row per active manager: each learns about the quota in their DM with the bot. */
export async function tellManagers(tx: Repos, notice: QuotaNotice): Promise<OutboxEntry[]> {
  const managers = (await tx.staff.listActive()).filter((staff) => isManager(staff));
  return managers.map((manager) => ({
    job: { kind: 'slack.quota', notice, to: manager.slackUserId },
    orderKey: `quota:${manager.slackUserId}`,
  }));
}

/**
 * LINE's monthly message quota, read before each dispatch run (cached for a minute) so step sends
 * never spend it by accident: managers are warned once at 80% and once at 100% of the month; a
 * dispatch run sends at most what is left; and when LINE refuses a step for the monthly limit the
 * steps are held (not retried) until a reading shows quota again. Rep replies never pass here.
 */
export class LineQuotaGuard {
  private reading: QuotaReading | null = null;
  private readonly deps: {
    store: Store;
    clock: Clock;
    line: Pick<LineMessenger, 'getQuota'>;
    logger: Logger;
    timezone: string;
    cacheMs?: number;
  };

  constructor(deps: LineQuotaGuard['deps']) {
    this.deps = deps;
  }

  /** Forgets the cached reading (a refused send, or a test that changed the fake's quota). */
  invalidate(): void {
    this.reading = null;
  }

  /** Counts messages a run just queued, so the next run within the cache does not spend them again. */
  spend(messages: number): void {
    if (this.reading) this.reading.used += messages;
  }

  private async read(fresh: boolean): Promise<QuotaReading> {
    const now = this.deps.clock.now().getTime();
    const cacheMs = this.deps.cacheMs ?? QUOTA_CACHE_MS;
    if (!fresh && this.reading && now - this.reading.at < cacheMs) return this.reading;
    const quota = await this.deps.line.getQuota();
    this.reading = { ...quota, at: now };
    return this.reading;
  }

  /** LINE's count of this month's messages and the limit (cached like every reading), for the numbers. */
  async usage(): Promise<{ limit: number | null; used: number }> {
    const { limit, used } = await this.read(false);
    return { limit, used };
  }

  /**
   * How many step messages may go out now (Infinity without a limit), after warning managers and
   * lifting a hold when quota came back. `released` is set when held steps may be queued again.
   */
  async budget(): Promise<{ remaining: number; releasedHold: boolean }> {
    const { store, clock, timezone } = this.deps;
    const now = clock.now();
    const month = quotaMonth(now, timezone);
    const state = await store.quota.get(month);
    // A hold from LINE's refusal is only lifted by a fresh reading that shows quota left.
    const heldNow = state?.heldSince != null;
    const heldBefore = heldNow || (await this.anyHold());
    const reading = await this.read(heldBefore);
    const remaining = reading.limit === null ? Number.POSITIVE_INFINITY : reading.limit - reading.used;
    await this.warn(month, reading);
    if (heldBefore) {
      if (remaining <= 0) return { remaining: 0, releasedHold: false };
      await store.transaction(async (tx) => {
        if (await tx.quota.release(now))
          await tx.outbox.enqueue(await tellManagers(tx, { key: 'quota_resumed', month }));
      });
      return { remaining, releasedHold: true };
    }
    return { remaining: Math.max(0, remaining), releasedHold: false };
  }

  private async anyHold(): Promise<boolean> {
    // A hold set last month carries over until a reading shows quota again (LINE resets monthly).
    const now = this.deps.clock.now();
    const previous = quotaMonth(new Date(now.getTime() - 32 * 24 * 60 * 60_000), this.deps.timezone);
    const state = await this.deps.store.quota.get(previous);
    return state?.heldSince != null;
  }

  private async warn(month: string, reading: QuotaReading): Promise<void> {
    if (reading.limit === null || reading.limit <= 0) return;
    const share = reading.used / reading.limit;
    for (const percent of [80, 100] as const) {
      if (share * 100 < percent) continue;
      await this.deps.store.transaction(async (tx) => {
        if (!(await tx.quota.warnOnce(month, percent, this.deps.clock.now()))) return;
        await tx.outbox.enqueue(
          await tellManagers(tx, {
            key: 'quota_warning',
            percent,
            used: reading.used,
            limit: reading.limit as number,
            month,
          }),
        );
      });
    }
  }

  /**
   * LINE refused a step for the monthly limit: the steps are held, managers told once, and no
   * step goes out until a reading shows quota again.
   */
  async hold(tx: Repos, stepSendIds: string[]): Promise<OutboxEntry[]> {
    const now = this.deps.clock.now();
    const month = quotaMonth(now, this.deps.timezone);
    this.reading = null;
    await tx.stepSends.markHeld(stepSendIds);
    if (!(await tx.quota.hold(month, now))) return [];
    this.deps.logger.warn({ month }, 'LINE monthly message quota reached: step sends held');
    return tellManagers(tx, { key: 'quota_held', month });
  }
}

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

/** LINE keeps an X-Line-Retry-Key for 24 hours; retrying later could send twice, so we stop before. */
export const GIVE_UP_AFTER_MS = 23 * 60 * 60 * 1000;

/**
 * Delay before the next attempt: the platform's Retry-After when it gave one, otherwise
 * exponential backoff from `baseMs` capped at `maxMs`, with up to 20% jitter so that many
 * held rows do not retry in lockstep. `random` is injected to keep this pure.
 */
export function retryDelayMs(
  attempts: number,
  settings: BackoffSettings,
  retryAfterMs: number | undefined,
  random: number,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, settings.maxMs * 10);
  const exponential = settings.baseMs * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(settings.maxMs, exponential);
  return Math.round(capped * (0.8 + 0.2 * random));
}

export function shouldGiveUp(createdAt: Date, now: Date): boolean {
  return now.getTime() - createdAt.getTime() >= GIVE_UP_AFTER_MS;
}

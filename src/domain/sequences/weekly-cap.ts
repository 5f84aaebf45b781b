/**
 * The weekly cap: at most `cap` step messages per lead in any rolling 7 days, across all its
 * sequences. Rep replies and the opt-out confirmation are not step messages and are not passed in.
 * A window is half-open: two sends exactly 7 days apart never share one.
 */
export const CAP_WINDOW_MS = 7 * 24 * 60 * 60_000;

/** The most sends any rolling 7-day window [w, w + 7 days) holds. */
export function busiestWeek(sends: readonly Date[]): number {
  const times = sends.map((send) => send.getTime()).sort((a, b) => a - b);
  let busiest = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while ((times[last] ?? 0) - (times[first] ?? 0) >= CAP_WINDOW_MS) first++;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}

/**
 * Would one more send at `at` keep every rolling week that contains it within `cap`? Later sends
 * in `sends` count too, so re-timing a step between earlier sends cannot overfill a week.
 */
export function fitsUnderCap(at: Date, sends: readonly Date[], cap: number): boolean {
  const t = at.getTime();
  const near = sends.map((send) => send.getTime()).filter((s) => Math.abs(s - t) < CAP_WINDOW_MS);
  // Windows containing t start in (t - 7 days, t]; the fullest one starts at t or at a send.
  const starts = [t, ...near.filter((s) => s <= t)];
  return starts.every((w) => near.filter((s) => s >= w && s < w + CAP_WINDOW_MS).length + 1 <= cap);
}

/** `at` itself when one more send fits, else the first later moment it does (when an old send leaves the week). */
export function earliestUnderCap(at: Date, sends: readonly Date[], cap: number): Date {
  if (!Number.isInteger(cap) || cap < 1)
    throw new RangeError(`The weekly cap must be a whole number >= 1, got ${cap}`);
  if (fitsUnderCap(at, sends, cap)) return at;
  const t = at.getTime();
  const candidates = sends
    .map((send) => send.getTime() + CAP_WINDOW_MS)
    .filter((leaves) => leaves > t)
    .sort((a, b) => a - b);
  for (const leaves of candidates) {
    if (fitsUnderCap(new Date(leaves), sends, cap)) return new Date(leaves);
  }
  // Past every send's week nothing is near, so one send always fits.
  return new Date(Math.max(t, ...sends.map((send) => send.getTime() + CAP_WINDOW_MS)));
}

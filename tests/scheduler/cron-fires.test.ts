import { describe, expect, it } from 'vitest';
import { lastFireBetween, lastFireToday } from '../../src/scheduler.ts';

const TZ = 'Asia/Tokyo';
const jst = (local: string) => new Date(`${local}+09:00`);

describe('lastFireBetween', () => {
  it('finds the latest fire in the window, in the given time zone', () => {
    // Weekdays at 09:00 Tokyo; from Monday 10:00 to the next Monday 09:30: the last one is Monday 09:00.
    expect(
      lastFireBetween('0 9 * * 1-5', jst('2026-11-30T10:00:00'), jst('2026-12-07T09:30:00'), TZ),
    ).toEqual(jst('2026-12-07T09:00:00'));
    // Over a weekend only: Friday evening to Sunday night has no weekday 09:00.
    expect(
      lastFireBetween('0 9 * * 1-5', jst('2026-12-04T18:00:00'), jst('2026-12-06T23:59:00'), TZ),
    ).toBeNull();
  });

  it('excludes the start of the window and includes its end', () => {
    const nine = jst('2026-12-01T09:00:00');
    expect(lastFireBetween('0 9 * * *', nine, jst('2026-12-01T12:00:00'), TZ)).toBeNull();
    expect(lastFireBetween('0 9 * * *', jst('2026-12-01T08:00:00'), nine, TZ)).toEqual(nine);
  });

  it('handles every-minute jobs and an empty window', () => {
    expect(lastFireBetween('* * * * *', jst('2026-12-01T09:00:00'), jst('2026-12-01T09:05:30'), TZ)).toEqual(
      jst('2026-12-01T09:05:00'),
    );
    const at = jst('2026-12-01T09:00:00');
    expect(lastFireBetween('* * * * *', at, at, TZ)).toBeNull();
  });

  it('looks across months and years', () => {
    // 08:30 on the first of each month, checked from mid-November to mid-January.
    expect(lastFireBetween('30 8 1 * *', jst('2026-11-15T00:00:00'), jst('2027-01-15T00:00:00'), TZ)).toEqual(
      jst('2027-01-01T08:30:00'),
    );
  });

  it('agrees with lastFireToday for today’s window', () => {
    const now = jst('2026-12-01T15:10:00');
    expect(lastFireToday('0 9,14 * * *', now, TZ)).toEqual(jst('2026-12-01T14:00:00'));
    expect(lastFireToday('0 16 * * *', now, TZ)).toBeNull();
    expect(lastFireToday('0 0 * * *', now, TZ)).toEqual(jst('2026-12-01T00:00:00'));
  });
});

import { describe, expect, it } from 'vitest';
import { busiestWeek, earliestUnderCap, fitsUnderCap } from '../../../src/domain/sequences/weekly-cap.ts';

const jst = (wall: string) => new Date(`${wall}+09:00`);

describe('the weekly cap', () => {
  const sends = [jst('2026-06-01T10:00'), jst('2026-06-03T10:00')];

  it('lets a send through under the cap', () => {
    expect(earliestUnderCap(jst('2026-06-02T10:00'), [jst('2026-06-01T10:00')], 2)).toEqual(
      jst('2026-06-02T10:00'),
    );
  });

  it('postpones a third send in a week until the oldest leaves it, exactly 7 days later', () => {
    expect(earliestUnderCap(jst('2026-06-04T10:00'), sends, 2)).toEqual(jst('2026-06-08T10:00'));
  });

  it('counts a send exactly 7 days earlier as outside the week, one a millisecond less as inside', () => {
    expect(fitsUnderCap(jst('2026-06-08T10:00'), sends, 2)).toBe(true);
    expect(fitsUnderCap(new Date(jst('2026-06-08T10:00').getTime() - 1), sends, 2)).toBe(false);
  });

  it('counts later sends too, so a step moved between sends cannot overfill a week', () => {
    const around = [jst('2026-06-01T10:00'), jst('2026-06-10T10:00')];
    expect(fitsUnderCap(jst('2026-06-05T10:00'), around, 1)).toBe(false);
    expect(earliestUnderCap(jst('2026-06-05T10:00'), around, 1)).toEqual(jst('2026-06-17T10:00'));
  });

  it('keeps to a cap of 1 across a month end and a year end', () => {
    expect(earliestUnderCap(jst('2027-01-02T09:00'), [jst('2026-12-28T09:30')], 1)).toEqual(
      jst('2027-01-04T09:30'),
    );
  });

  it('refuses a cap under 1, which would hold steps for ever', () => {
    expect(() => earliestUnderCap(jst('2026-06-01T10:00'), [], 0)).toThrow(RangeError);
  });

  it('measures the busiest rolling week of a history', () => {
    expect(busiestWeek([])).toBe(0);
    expect(busiestWeek([...sends, jst('2026-06-08T10:00')])).toBe(2);
    expect(busiestWeek([...sends, new Date(jst('2026-06-08T10:00').getTime() - 1)])).toBe(3);
  });
});

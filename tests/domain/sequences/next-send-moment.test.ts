import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDate, zonedParts } from '../../../src/domain/business-calendar.ts';
import { nextSendMoment, type SendRules } from '../../../src/domain/sequences/next-send-moment.ts';
import { isSendAllowedAt, parseQuietHours } from '../../../src/domain/sequences/quiet-hours.ts';
import { stepDueMoment } from '../../../src/domain/sequences/step-timing.ts';
import { busiestWeek, fitsUnderCap } from '../../../src/domain/sequences/weekly-cap.ts';

const jst = (wall: string) => new Date(`${wall}+09:00`);
/** Fixed, so a failure prints a seed and a path that replay the same case. */
const SEED = 20261211;
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const tokyoRules: SendRules = {
  quiet: parseQuietHours('21:00-09:00'),
  stepDays: ALL_DAYS,
  cap: 2,
  timezone: 'Asia/Tokyo',
};

describe('nextSendMoment', () => {
  it('sends a step due at a decent hour at once', () => {
    const due = jst('2026-06-10T10:00');
    expect(nextSendMoment({ due, now: due, recentSends: [], rules: tokyoRules })).toEqual(due);
  });

  it('sends an overdue step now, not in the past', () => {
    expect(
      nextSendMoment({
        due: jst('2026-06-01T10:00'),
        now: jst('2026-06-10T15:00'),
        recentSends: [],
        rules: tokyoRules,
      }),
    ).toEqual(jst('2026-06-10T15:00'));
  });

  it('holds a step due at night until 09:00, across a month end', () => {
    const due = jst('2026-08-31T23:30');
    expect(nextSendMoment({ due, now: due, recentSends: [], rules: tokyoRules })).toEqual(
      jst('2026-09-01T09:00'),
    );
  });

  it('holds a step over the cap until the oldest send leaves the week, then past the quiet hours', () => {
    // The oldest send left the week at 22:00, inside quiet hours: the step waits for 09:00.
    const recentSends = [jst('2026-12-25T22:00'), jst('2026-12-29T10:00')];
    const due = jst('2026-12-31T10:00');
    expect(nextSendMoment({ due, now: due, recentSends, rules: tokyoRules })).toEqual(
      jst('2027-01-02T09:00'),
    );
  });

  it('holds a step over the cap to exactly 7 days after the oldest send when that is a decent hour', () => {
    const recentSends = [jst('2026-06-01T10:00'), jst('2026-06-02T10:00')];
    const due = jst('2026-06-03T10:00');
    expect(nextSendMoment({ due, now: due, recentSends, rules: tokyoRules })).toEqual(
      jst('2026-06-08T10:00'),
    );
  });

  it('moves a step past a disallowed day that the cap pushed it onto', () => {
    // 2026-06-13 is a Saturday; steps Monday to Friday.
    const rules = { ...tokyoRules, stepDays: [1, 2, 3, 4, 5] };
    const recentSends = [jst('2026-06-06T11:00'), jst('2026-06-08T11:00')];
    const due = jst('2026-06-09T11:00');
    expect(nextSendMoment({ due, now: due, recentSends, rules })).toEqual(jst('2026-06-15T09:00'));
  });

  it('applies the quiet hours on the wall clock of America/New_York across the DST change', () => {
    const rules = { ...tokyoRules, timezone: 'America/New_York' };
    const due = new Date('2026-03-08T01:30:00-05:00');
    expect(nextSendMoment({ due, now: due, recentSends: [], rules })).toEqual(
      new Date('2026-03-08T09:00:00-04:00'),
    );
  });
});

const timezones = ['Asia/Tokyo', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'UTC'];
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const from = Date.parse('2025-01-01T00:00:00Z');
const to = Date.parse('2028-12-31T00:00:00Z');

const quietArb = fc.option(
  fc
    .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }))
    .filter(([start, end]) => start !== end % 1440)
    .map(([startMinute, endMinute]) => ({ startMinute, endMinute })),
  { nil: null },
);
const rulesArb = fc.record({
  quiet: quietArb,
  stepDays: fc.subarray(ALL_DAYS, { minLength: 1 }),
  cap: fc.integer({ min: 1, max: 4 }),
  timezone: fc.constantFrom(...timezones),
});

/** A history that keeps to the cap, as the rules would have made it: sends only where one fits. */
function historyWithin(cap: number, now: number, offsets: number[]): Date[] {
  const sends: Date[] = [];
  for (const offset of offsets) {
    const send = new Date(now - offset);
    if (fitsUnderCap(send, sends, cap)) sends.push(send);
  }
  return sends;
}

const caseArb = fc
  .record({
    rules: rulesArb,
    now: fc.integer({ min: from, max: to }),
    dueOffset: fc.integer({ min: -10 * DAY, max: 30 * DAY }),
    sendOffsets: fc.array(fc.integer({ min: 0, max: 21 * DAY }), { maxLength: 10 }),
  })
  .map(({ rules, now, dueOffset, sendOffsets }) => ({
    rules,
    now: new Date(now),
    due: new Date(now + dueOffset),
    recentSends: historyWithin(rules.cap, now, sendOffsets),
  }));

describe('nextSendMoment properties', () => {
  const runs = { seed: SEED, numRuns: 600 };

  it('never falls in quiet hours or on a day without steps', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(isSendAllowedAt(nextSendMoment(c), c.rules)).toBe(true);
      }),
      runs,
    );
  });

  it('never breaks the rolling weekly cap given the history', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(busiestWeek([...c.recentSends, nextSendMoment(c)])).toBeLessThanOrEqual(c.rules.cap);
      }),
      runs,
    );
  });

  it('is never earlier than the due moment, nor than now', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const moment = nextSendMoment(c).getTime();
        expect(moment).toBeGreaterThanOrEqual(c.due.getTime());
        expect(moment).toBeGreaterThanOrEqual(c.now.getTime());
      }),
      runs,
    );
  });

  it('is idempotent: feeding the answer back returns it', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const moment = nextSendMoment(c);
        expect(nextSendMoment({ ...c, due: moment })).toEqual(moment);
      }),
      runs,
    );
  });

  it('sends at once when the due moment is already allowed and under the cap', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const start = new Date(Math.max(c.due.getTime(), c.now.getTime()));
        fc.pre(isSendAllowedAt(start, c.rules) && fitsUnderCap(start, c.recentSends, c.rules.cap));
        expect(nextSendMoment(c)).toEqual(start);
      }),
      runs,
    );
  });
});

describe('stepDueMoment properties', () => {
  it('lands on the step time of day, at or after the delay, within a day of it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: from, max: to }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.constantFrom('Asia/Tokyo', 'UTC'),
        (anchor, days, at, timezone) => {
          const due = stepDueMoment({ after: { amount: days, unit: 'd' }, at }, new Date(anchor), timezone);
          const p = zonedParts(due, timezone);
          expect(p.hour * 60 + p.minute).toBe(at);
          expect(p.second).toBe(0);
          expect(due.getTime()).toBeGreaterThanOrEqual(anchor + days * DAY);
          expect(due.getTime() - (anchor + days * DAY)).toBeLessThan(DAY);
          expect(localDate(due, timezone) >= localDate(new Date(anchor + days * DAY), timezone)).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

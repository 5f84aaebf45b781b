import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../../src/ports.ts';
import { stepPacer } from '../../../src/use-cases/sequences/dispatch-steps.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const push = (n: number): OutboxEntry => ({
  job: { kind: 'line.step', stepSendId: `send-${n}`, leadId: `lead-${n}` },
  orderKey: `lead:lead-${n}`,
  retryKey: crypto.randomUUID(),
});
const multicast = (n: number): OutboxEntry => ({
  job: { kind: 'line.step_multicast', sequenceId: 'event', stepIndex: 0, stepSendIds: [`send-${n}`] },
  orderKey: `multicast:send-${n}`,
  retryKey: crypto.randomUUID(),
});

describe('stepPacer', () => {
  it('spreads a run’s pushes and multicasts each at a little under LINE’s rate for its endpoint', () => {
    const pace = stepPacer(new ManualClock('2026-12-01T01:00:00Z'));
    const delays = pace([push(1), push(2), multicast(1), push(3), multicast(2)]).map((e) => e.delayMs);
    // 1,900 pushes and 190 multicasts a second: the n-th of each waits n / rate seconds.
    expect(delays).toEqual([0, 1000 / 1900, 0, 2000 / 1900, 1000 / 190]);
  });

  it('counts on across the batches of a run, less the time the run has taken', () => {
    const clock = new ManualClock('2026-12-01T01:00:00Z');
    const pace = stepPacer(clock);
    pace(Array.from({ length: 3800 }, (_, n) => push(n)));
    clock.advanceMinutes(1 / 60); // one second later
    const [next] = pace([push(3800)]);
    expect(next?.delayMs).toBeCloseTo(1000, 6);
    clock.advanceMinutes(1);
    // A run slower than the pace never writes a row due in the past.
    expect(pace([push(3801)])[0]?.delayMs).toBe(0);
  });

  it('gives a row of pushes as many places as it has pushes', () => {
    const pace = stepPacer(new ManualClock('2026-12-01T01:00:00Z'));
    const row = (ids: number): OutboxEntry => ({
      job: { kind: 'line.step_pushes', stepSendIds: Array.from({ length: ids }, (_, i) => `s-${i}`) },
      orderKey: `pushes:${ids}`,
    });
    expect(pace([row(25), row(25), push(1)]).map((e) => e.delayMs)).toEqual([
      0,
      25_000 / 1900,
      50_000 / 1900,
    ]);
  });

  it('leaves the entries as they were otherwise', () => {
    const entry = push(1);
    const [paced] = stepPacer(new ManualClock('2026-12-01T01:00:00Z'))([entry]);
    expect(paced).toEqual({ ...entry, delayMs: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { PushGate } from '../../../src/use-cases/sequences/push-gate.ts';

/** A gate on a clock the test moves. */
function gateAt(perSecond: number, burstMs: number) {
  let now = 1_000;
  const gate = new PushGate(perSecond, burstMs, () => now);
  return { gate, advance: (ms: number) => (now += ms) };
}

describe('PushGate', () => {
  it('lets a burst go at once after a pause, then books one push per interval', () => {
    // 1,000 a second, 5 ms of burst: the burst's 5 and the one due now go at once, then one a millisecond.
    const { gate } = gateAt(1000, 5);
    const waits = Array.from({ length: 8 }, () => gate.reserve());
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
  });

  it('never lets a one-second window see more than the rate plus the burst', () => {
    const { gate, advance } = gateAt(1900, 50);
    // Pushes asked for in clumps, as a catching-up worker does; each goes at now + its wait.
    const sentAt: number[] = [];
    let clock = 1_000;
    for (let round = 0; round < 400; round++) {
      for (let i = 0; i < (round % 7) * 5; i++) sentAt.push(clock + gate.reserve());
      advance(10);
      clock += 10;
    }
    sentAt.sort((a, b) => a - b);
    let most = 0;
    for (let start = 0, end = 0; end < sentAt.length; end++) {
      while ((sentAt[end] as number) - (sentAt[start] as number) >= 1000) start++;
      most = Math.max(most, end - start + 1);
    }
    expect(most).toBeLessThanOrEqual(1900 + 95 + 1);
    expect(sentAt.length).toBeGreaterThan(2000);
  });

  it('does not hold a push when the gate has been idle', () => {
    const { gate, advance } = gateAt(1900, 50);
    for (let i = 0; i < 500; i++) gate.reserve();
    advance(60_000);
    expect(gate.reserve()).toBe(0);
  });
});

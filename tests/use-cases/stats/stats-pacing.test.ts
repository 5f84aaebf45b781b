import { describe, expect, it } from 'vitest';
import type { StatsQueries, StatsScope } from '../../../src/ports/stats.ts';
import { pacedStatsQueries } from '../../../src/use-cases/stats/stats-pacing.ts';

/**
 * The statistics at background priority, on a clock of the test's own: each query "takes" the
 * milliseconds it is given, each rest is recorded and resolved when the test says so.
 */
function harness(options: { busy: boolean; busyPercent: number }) {
  let clock = 0;
  let running = 0;
  let overlapped = false;
  const started: string[] = [];
  const rests: { ms: number; done: () => void }[] = [];
  const query =
    (name: string, ms: number, fail = false) =>
    async () => {
      started.push(name);
      running += 1;
      if (running > 1) overlapped = true;
      await Promise.resolve();
      clock += ms;
      running -= 1;
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
  const plan = new Map<string, () => Promise<string>>();
  const queries = {
    activity: (scope: StatsScope) => (plan.get(scope.ownerId ?? '') as () => Promise<string>)(),
  } as unknown as StatsQueries;
  let busy = options.busy;
  const paced = pacedStatsQueries(queries, {
    busy: () => busy,
    busyPercent: options.busyPercent,
    now: () => clock,
    rest: (ms) =>
      new Promise<void>((resolve) => {
        rests.push({
          ms,
          done: () => {
            clock += ms;
            resolve();
          },
        });
      }),
  });
  const ask = (name: string, ms: number, fail = false) => {
    plan.set(name, query(name, ms, fail));
    return paced.activity({ ownerId: name } as StatsScope) as unknown as Promise<string>;
  };
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    ask,
    rests,
    started,
    settled,
    overlapped: () => overlapped,
    setBusy: (value: boolean) => {
      busy = value;
    },
  };
}

describe('pacedStatsQueries', () => {
  it('while live work is under way, rests after each query in proportion to what it took', async () => {
    const h = harness({ busy: true, busyPercent: 25 });
    const first = h.ask('a', 400);
    const second = h.ask('b', 100);
    // The first answers at once; the second waits for the first's rest (3 x 400 ms at 25%).
    expect(await first).toBe('a');
    await h.settled();
    expect(h.started).toEqual(['a']);
    expect(h.rests.map((r) => r.ms)).toEqual([1200]);
    h.rests[0]?.done();
    expect(await second).toBe('b');
    await h.settled();
    expect(h.rests.map((r) => r.ms)).toEqual([1200, 300]);
    expect(h.overlapped()).toBe(false);
  });

  it('runs back to back when the system is quiet', async () => {
    const h = harness({ busy: false, busyPercent: 25 });
    expect(await Promise.all([h.ask('a', 400), h.ask('b', 100), h.ask('c', 50)])).toEqual(['a', 'b', 'c']);
    expect(h.rests).toEqual([]);
    expect(h.started).toEqual(['a', 'b', 'c']);
    expect(h.overlapped()).toBe(false);
  });

  it('a failed query fails its asker alone; the next one still runs after the rest', async () => {
    const h = harness({ busy: true, busyPercent: 50 });
    const failing = h.ask('a', 200, true);
    const next = h.ask('b', 10);
    await expect(failing).rejects.toThrow('a failed');
    await h.settled();
    expect(h.rests.map((r) => r.ms)).toEqual([200]);
    h.rests[0]?.done();
    expect(await next).toBe('b');
  });

  it('at 100% the queries are left as they are', async () => {
    const h = harness({ busy: true, busyPercent: 100 });
    expect(await Promise.all([h.ask('a', 400), h.ask('b', 100)])).toEqual(['a', 'b']);
    expect(h.rests).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ReportPeriod } from '../../../src/domain/report-period.ts';
import type { StatsReport } from '../../../src/domain/stats/stats-figures.ts';
import { ReportsInFlight } from '../../../src/use-cases/stats/reports-in-flight.ts';

const period = (firstDay: string, lastDay: string) => ({ firstDay, lastDay }) as ReportPeriod;
const report = (name: string) => ({ repId: name }) as unknown as StatsReport;

/** A computation the test finishes when it wants. */
function pending() {
  let finish: (value: StatsReport) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const promise = new Promise<StatsReport>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { promise, finish, fail };
}

describe('ReportsInFlight', () => {
  it('askers of the same numbers while they are computed share one computation', async () => {
    const reports = new ReportsInFlight();
    const key = ReportsInFlight.key(period('2026-11-01', '2026-11-30'), null);
    const work = pending();
    let computed = 0;
    const compute = () => {
      computed += 1;
      return work.promise;
    };
    const asked = [reports.share(key, compute), reports.share(key, compute), reports.share(key, compute)];
    expect(computed).toBe(1);
    work.finish(report('team'));
    const answers = await Promise.all(asked);
    expect(answers.every((answer) => answer === answers[0])).toBe(true);
    // Asked after it ended: computed anew.
    expect(reports.size).toBe(0);
    await reports.share(key, async () => {
      computed += 1;
      return report('team again');
    });
    expect(computed).toBe(2);
  });

  it('other periods and other reps are computed apart', async () => {
    const reports = new ReportsInFlight();
    const keys = [
      ReportsInFlight.key(period('2026-11-01', '2026-11-30'), null),
      ReportsInFlight.key(period('2026-11-01', '2026-11-30'), 'U1'),
      ReportsInFlight.key(period('2026-11-01', '2026-11-30'), 'U2'),
      ReportsInFlight.key(period('2026-11-02', '2026-11-08'), null),
    ];
    expect(new Set(keys).size).toBe(4);
    const answers = await Promise.all(keys.map((key) => reports.share(key, async () => report(key))));
    expect(answers.map((a) => a.repId)).toEqual(keys);
  });

  it('a failure reaches every asker of that computation and is not kept', async () => {
    const reports = new ReportsInFlight();
    const key = ReportsInFlight.key(period('2026-11-01', '2026-11-30'), null);
    const work = pending();
    const asked = [reports.share(key, () => work.promise), reports.share(key, () => work.promise)];
    work.fail(new Error('canceling statement due to statement timeout'));
    for (const answer of asked) await expect(answer).rejects.toThrow('statement timeout');
    expect(reports.size).toBe(0);
    expect(await reports.share(key, async () => report('later'))).toMatchObject({ repId: 'later' });
  });
});

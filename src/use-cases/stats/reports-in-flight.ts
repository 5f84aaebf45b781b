import type { ReportPeriod } from '../../domain/report-period.ts';
import type { StatsReport } from '../../domain/stats/stats-figures.ts';

/**
 * The reports being computed now, by what they cover (the period and the rep, or the team). A
 * manager who asks for numbers already being computed for someone else gets that computation's
 * answer, as fresh as their own would be, instead of a second run of the same queries: on a
 * Monday morning a whole team of managers asks `stats week` at once. Only computations under way
 * are shared; a question asked after one ends computes anew.
 */
export class ReportsInFlight {
  private readonly running = new Map<string, Promise<StatsReport>>();

  static key(period: ReportPeriod, repId: string | null): string {
    return `${period.firstDay}..${period.lastDay}|${repId ?? '*'}`;
  }

  /** How many distinct reports are being computed. */
  get size(): number {
    return this.running.size;
  }

  share(key: string, compute: () => Promise<StatsReport>): Promise<StatsReport> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const computing = compute().finally(() => {
      if (this.running.get(key) === computing) this.running.delete(key);
    });
    this.running.set(key, computing);
    return computing;
  }
}

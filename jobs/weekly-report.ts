import type { Job } from '../src/scheduler.ts';
import { runWeeklyReport } from '../src/use-cases/stats/weekly-report.ts';
import type { JobDeps } from './job-deps.ts';

export const WEEKLY_REPORT_JOB = 'weekly-report';

/** Each week (WEEKLY_REPORT_CRON, default 0 9 * * 1 in BUSINESS_TIMEZONE): last week's numbers to the report channel. */
export function weeklyReportJob(deps: JobDeps, schedule: string, channelId: string): Job {
  return {
    name: WEEKLY_REPORT_JOB,
    schedule,
    run: async (fireAt) => {
      const result = await runWeeklyReport(deps, fireAt, channelId);
      deps.logger.info({ job: WEEKLY_REPORT_JOB, ...result }, 'weekly report run');
      deps.kick();
    },
  };
}

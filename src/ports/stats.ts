import type { LeadRanking } from '../domain/lead-list.ts';
import type { ReportPeriod } from '../domain/report-period.ts';
import type {
  Activity,
  Pipeline,
  RepFigures,
  ResponseBucket,
  SpeedToLead,
  StatsReportJson,
  StepFigures,
  WeekTrend,
} from '../domain/stats/stats-figures.ts';

// Managers' numbers: read-only statistics over the stored facts, on their own connection budget.

/** The business calendar in the form SQL can use: holidays listed for the dates involved. */
export interface SqlCalendar {
  timeZone: string;
  openMinute: number;
  closeMinute: number;
  /** ISO weekdays the team works. */
  days: readonly number[];
  /** The days the queries may meet ('YYYY-MM-DD'): from the day before the period to today. */
  firstDay: string;
  lastDay: string;
  /** Holidays ('YYYY-MM-DD') among those days. */
  holidays: readonly string[];
}

export interface StatsScope {
  /** The period, half open: [from, to). */
  from: Date;
  to: Date;
  /** One rep's numbers, or the team's (null). */
  ownerId: string | null;
  calendar: SqlCalendar;
  /** Segments, bands and neglect seen from today, for the figures about now. */
  ranking: LeadRanking;
}

/** Read-only; runs with a statement timeout (STATS_TIMEOUT_MS) on connections of its own. */
export interface StatsQueries {
  /** Speed to lead, and the first-response median of each rep named (by the owner at the time). */
  speedToLead(
    scope: StatsScope,
    repIds?: readonly string[],
  ): Promise<{ speed: SpeedToLead; repMedians: Record<string, number | null> }>;
  activity(scope: StatsScope): Promise<Activity>;
  pipeline(scope: StatsScope): Promise<Pipeline>;
  steps(scope: StatsScope): Promise<StepFigures[]>;
  /** One row per rep named, in the order given (the median comes from speedToLead). */
  perRep(scope: StatsScope, repIds: readonly string[]): Promise<Omit<RepFigures, 'medianMinutes'>[]>;
  /** Touches and lead replies per ISO week, for the weeks starting on these Mondays. */
  weeklyTrend(scope: StatsScope, mondays: readonly string[]): Promise<WeekTrend[]>;
}

/** A chart of the numbers: the first-response distribution, or the weekly trend. */
export type StatsChart =
  | {
      kind: 'first_response';
      period: ReportPeriod;
      inHours: Record<ResponseBucket, number>;
      outOfHours: Record<ResponseBucket, number>;
    }
  | { kind: 'weekly_trend'; period: ReportPeriod; weeks: WeekTrend[] };

/** What the asker learns about the charts through the command's response_url. */
export type StatsNote = { key: 'charts_in_dm' } | { key: 'chart_missing'; error: string };

/** Outbox work of the numbers: a chart as a PNG, a note to the asker, the weekly report. */
export type StatsJob =
  | {
      kind: 'slack.stats_chart';
      chart: StatsChart;
      /** The charts to post after this one, where this one went. */
      next: StatsChart[];
      /** Where the command was run (or the report channel). */
      channelId: string;
      /** The asker: the chart goes to their DM when the bot cannot post in `channelId`. */
      askerId: string | null;
      responseUrl: string | null;
    }
  | { kind: 'slack.stats_note'; responseUrl: string; note: StatsNote }
  | { kind: 'slack.stats_report'; channelId: string; report: StatsReportJson };

/** Slack as the numbers use it. */
export interface StatsSlack {
  /** Renders the chart as a PNG and shares it in `channel` (a conversation, or a user's DM). */
  postStatsChart(channel: string, chart: StatsChart): Promise<{ channelId: string; fileId: string }>;
  /** Posts a note for the asker to a slash command's response_url. */
  postStatsNote(responseUrl: string, note: StatsNote): Promise<void>;
  /** Posts the weekly report's numbers in a channel. */
  postStatsReport(channelId: string, report: StatsReportJson): Promise<void>;
}

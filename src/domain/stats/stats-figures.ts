import type { TimingSegment } from '../follow-up/purchase-timing.ts';
import type { TouchChannel, TouchOutcome } from '../follow-up/touch.ts';
import type { ReportPeriod } from '../report-period.ts';

/**
 * The figures of a manager's numbers, as the statistics queries return them. Every figure is
 * computed in SQL from stored facts (touches, messages, the lead history, step sends); the README's
 * "Numbers for managers" defines each in words, and db/repositories/stats-repository.ts in SQL.
 */

/** First-response buckets, in business minutes: [lower, upper) bounds; '未返信' has no answer yet. */
export const RESPONSE_BUCKETS = [
  { key: 'under_5m', upTo: 5 },
  { key: 'under_1h', upTo: 60 },
  { key: 'under_4h', upTo: 240 },
  { key: 'under_24h', upTo: 1440 },
  { key: 'over_24h', upTo: null },
] as const;

export type ResponseBucket = (typeof RESPONSE_BUCKETS)[number]['key'] | 'unanswered';
export const RESPONSE_BUCKET_KEYS: readonly ResponseBucket[] = [
  ...RESPONSE_BUCKETS.map((b) => b.key),
  'unanswered',
];

/** First response to the lead messages that opened a conversation, for one group of arrivals. */
export interface ResponseTimes {
  /** Conversations opened (lead messages that waited for no earlier unanswered one). */
  opened: number;
  answered: number;
  /** In business minutes; null when nothing was answered. */
  medianMinutes: number | null;
  p90Minutes: number | null;
  buckets: Record<ResponseBucket, number>;
}

export interface SpeedToLead {
  /** Arrivals while the team was open. */
  inHours: ResponseTimes;
  /** Arrivals at night, on days off and holidays: their clock starts at the next opening. */
  outOfHours: ResponseTimes;
}

export interface Activity {
  /** The company's touches (attempts: outbound, logged or LINE replies) by channel and outcome. */
  byChannelOutcome: { channel: TouchChannel; outcome: TouchOutcome; touches: number }[];
  touches: number;
  leadsTouched: number;
  /** Messages leads sent on LINE. */
  leadReplies: number;
  /**
   * The 4-touch rule: leads moved to 長期フォロー or 失注 in the period while their last contact
   * was unanswered (or there was none), and how many of them had four or more attempts since their
   * last answer first.
   */
  givenUp: number;
  givenUpAfterFour: number;
}

export interface Pipeline {
  /** Workable leads now, by purchase-timing segment and amount band (null: amount unknown). */
  bySegmentBand: { segment: TimingSegment; band: string | null; leads: number }[];
  neglected: number;
  /** The five leads neglected longest, oldest first. */
  oldestNeglected: { leadId: string; name: string | null; ownerId: string | null; since: Date }[];
  /** Purchase-timing changes in the period toward a nearer segment, and toward a further one. */
  movedNearer: number;
  movedFurther: number;
  newLeads: number;
  won: number;
  lost: number;
  /** Leads that came in during the period by the first segment they gave, and how many are won. */
  conversion: { segment: TimingSegment; leads: number; won: number }[];
}

export interface StepFigures {
  sequenceId: string;
  stepIndex: number;
  sent: number;
  /** Leads who wrote on LINE within 72 hours after the step reached them. */
  repliedWithin72h: number;
  optedOutWithin72h: number;
  blockedWithin72h: number;
}

export interface RepFigures {
  repId: string;
  leadsOwned: number;
  medianMinutes: number | null;
  touches: number;
  neglected: number;
  won: number;
}

export interface WeekTrend {
  /** The Monday, 'YYYY-MM-DD'. */
  weekStart: string;
  touches: number;
  leadReplies: number;
}

/** LINE's monthly message quota: what LINE counts as sent this month, and where the pace leads. */
export interface QuotaFigures {
  month: string;
  used: number;
  limit: number | null;
  /** used at the pace so far, carried to the end of the month. */
  forecast: number;
}

/** Every figure of a period, for the team or one rep. */
export interface StatsReport {
  period: ReportPeriod;
  /** One rep's numbers, or the team's (null). */
  repId: string | null;
  speed: SpeedToLead;
  activity: Activity;
  pipeline: Pipeline;
  steps: StepFigures[];
  /** The team's numbers only: one row per active rep. */
  reps: RepFigures[] | null;
  trend: WeekTrend[];
  /** null when LINE could not be asked. */
  quota: QuotaFigures | null;
  /** The amount bands in force, for the pipeline's labels. */
  bands: { key: string; label: string }[];
  /** Nothing happened in the period: no conversation, touch, new lead, close or step. */
  empty: boolean;
  now: Date;
}

/** A report as JSON (the outbox stores it): its instants as ISO strings. */
export type StatsReportJson = Omit<StatsReport, 'now' | 'pipeline'> & {
  now: string;
  pipeline: Omit<Pipeline, 'oldestNeglected'> & {
    oldestNeglected: (Omit<Pipeline['oldestNeglected'][number], 'since'> & { since: string })[];
  };
};

export function reportToJson(report: StatsReport): StatsReportJson {
  return {
    ...report,
    now: report.now.toISOString(),
    pipeline: {
      ...report.pipeline,
      oldestNeglected: report.pipeline.oldestNeglected.map((lead) => ({
        ...lead,
        since: lead.since.toISOString(),
      })),
    },
  };
}

export function reportFromJson(json: StatsReportJson): StatsReport {
  return {
    ...json,
    now: new Date(json.now),
    pipeline: {
      ...json.pipeline,
      oldestNeglected: json.pipeline.oldestNeglected.map((lead) => ({
        ...lead,
        since: new Date(lead.since),
      })),
    },
  };
}

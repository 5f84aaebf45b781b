import { addDays, type BusinessCalendar, localDate } from '../../domain/business-calendar.ts';
import { type FollowUpPolicy, followUpContext } from '../../domain/follow-up-policy.ts';
import { leadRanking } from '../../domain/lead-list.ts';
import { namedPeriod, periodInstants, type ReportPeriod } from '../../domain/report-period.ts';
import { isManager } from '../../domain/staff.ts';
import type { QuotaFigures, StatsReport } from '../../domain/stats/stats-figures.ts';

export type { StatsReport };

import type { SqlCalendar, StatsQueries, StatsScope } from '../../ports/stats.ts';
import type { Clock, Store } from '../../ports.ts';
import { ReportsInFlight } from './reports-in-flight.ts';

/** How many ISO weeks the trend chart shows, ending with the period's last week. */
export const TREND_WEEKS = 8;

export type StatsResult =
  | { kind: 'report'; report: StatsReport }
  | { kind: 'not_staff' }
  /** A rep asked for someone else's numbers, or the team's by naming another rep. */
  | { kind: 'others_numbers' }
  | { kind: 'unknown_rep'; repId: string };

export interface StatsDeps {
  store: Store;
  clock: Clock;
  policy: FollowUpPolicy;
  stats: StatsQueries;
  /** LINE's count of this month's messages; failures leave the quota out. */
  quotaUsage: () => Promise<{ limit: number | null; used: number }>;
  /** Reports under way, shared with whoever asks for the same numbers meanwhile. */
  reports?: ReportsInFlight;
}

/**
 * `/tsuikyaku stats`: the numbers of a period for the team (managers) or one rep. A rep sees only
 * their own; naming another rep is refused. Read-only; the statistics run on their own connections.
 */
export async function teamStats(
  deps: StatsDeps,
  input: { actorId: string; period: ReportPeriod; repId: string | null },
): Promise<StatsResult> {
  const actor = await deps.store.staff.get(input.actorId);
  if (!actor?.active) return { kind: 'not_staff' };
  let repId = input.repId;
  if (!isManager(actor)) {
    if (repId !== null && repId !== actor.slackUserId) return { kind: 'others_numbers' };
    repId = actor.slackUserId;
  } else if (repId !== null && !(await deps.store.staff.get(repId))) {
    return { kind: 'unknown_rep', repId };
  }
  const build = () => buildStatsReport(deps, input.period, repId);
  const report = deps.reports
    ? await deps.reports.share(ReportsInFlight.key(input.period, repId), build)
    : await build();
  return { kind: 'report', report };
}

/** Every figure of a period, for the team or one rep, queried together. */
export async function buildStatsReport(
  deps: Omit<StatsDeps, 'store'> & { store: Pick<Store, 'staff'> },
  period: ReportPeriod,
  repId: string | null,
): Promise<StatsReport> {
  const now = deps.clock.now();
  const scope = statsScope(deps.policy, period, repId, now);
  const mondays = trendMondays(period);
  const reps =
    repId === null
      ? (await deps.store.staff.listActive()).filter((s) => s.role === 'rep').map((s) => s.slackUserId)
      : null;
  const [{ speed, repMedians }, activity, pipeline, steps, perRep, trend, quota] = await Promise.all([
    deps.stats.speedToLead(scope, reps ?? []),
    deps.stats.activity(scope),
    deps.stats.pipeline(scope),
    deps.stats.steps(scope),
    reps ? deps.stats.perRep(scope, reps) : Promise.resolve(null),
    deps.stats.weeklyTrend(scope, mondays),
    quotaFigures(deps, now),
  ]);
  const opened = speed.inHours.opened + speed.outOfHours.opened;
  const empty =
    opened === 0 &&
    activity.touches === 0 &&
    activity.leadReplies === 0 &&
    pipeline.newLeads === 0 &&
    pipeline.won + pipeline.lost === 0 &&
    steps.length === 0;
  const bands = deps.policy.settings.amountBands.map(({ key, label }) => ({ key, label }));
  const repRows = perRep?.map((row) => ({ ...row, medianMinutes: repMedians[row.repId] ?? null })) ?? null;
  return { period, repId, speed, activity, pipeline, steps, reps: repRows, trend, quota, bands, empty, now };
}

/** The scope the queries read: the period's instants, the calendar with its holidays, today's ranking. */
export function statsScope(
  policy: FollowUpPolicy,
  period: ReportPeriod,
  ownerId: string | null,
  now: Date,
): StatsScope {
  const { from, to } = periodInstants(period, policy.calendar.timezone);
  const ctx = followUpContext(policy, now);
  return {
    from,
    to,
    ownerId,
    calendar: sqlCalendar(policy.calendar, period.firstDay, ctx.today),
    ranking: leadRanking(ctx),
  };
}

/** The calendar with its holidays listed from `firstDay` to the later of `today` and a year on. */
export function sqlCalendar(cal: BusinessCalendar, firstDay: string, today: string): SqlCalendar {
  const holidays: string[] = [];
  // A wait that began in the period may still be running today: list holidays up to then.
  const last = today > firstDay ? today : firstDay;
  for (let day = addDays(firstDay, -1); day <= last; day = addDays(day, 1)) {
    if (cal.holidays(day)) holidays.push(day);
  }
  return {
    timeZone: cal.timezone,
    openMinute: cal.openMinute,
    closeMinute: cal.closeMinute,
    days: cal.days,
    firstDay: addDays(firstDay, -1),
    lastDay: last,
    holidays,
  };
}

/** The Mondays of the TREND_WEEKS ISO weeks ending with the week of the period's last day. */
export function trendMondays(period: ReportPeriod): string[] {
  const lastMonday = namedPeriod('week', period.lastDay).firstDay;
  return Array.from({ length: TREND_WEEKS }, (_, i) => addDays(lastMonday, (i - TREND_WEEKS + 1) * 7));
}

async function quotaFigures(
  deps: Pick<StatsDeps, 'quotaUsage' | 'policy'>,
  now: Date,
): Promise<QuotaFigures | null> {
  const timezone = deps.policy.calendar.timezone;
  const today = localDate(now, timezone);
  try {
    const { used, limit } = await deps.quotaUsage();
    const month = namedPeriod('month', today);
    const { from, to } = periodInstants(month, timezone);
    const elapsed = Math.max(1, now.getTime() - from.getTime());
    const forecast = Math.round((used * (to.getTime() - from.getTime())) / elapsed);
    return { month: today.slice(0, 7), used, limit, forecast: Math.max(used, forecast) };
  } catch {
    return null;
  }
}

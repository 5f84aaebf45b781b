import { type SQL, sql } from 'drizzle-orm';
import {
  SEGMENT_ORDER,
  segmentRank,
  type TimingSegment,
} from '../../src/domain/follow-up/purchase-timing.ts';
import type { TouchChannel, TouchOutcome } from '../../src/domain/follow-up/touch.ts';
import {
  type Activity,
  type Pipeline,
  RESPONSE_BUCKETS,
  type ResponseBucket,
  type ResponseTimes,
  type StepFigures,
  type WeekTrend,
} from '../../src/domain/stats/stats-figures.ts';
import type { SqlCalendar, StatsQueries, StatsScope } from '../../src/ports/stats.ts';
import { type Executor, pgArray, rowsOf } from './executor.ts';
import {
  neglectedSql,
  notErasedSql,
  openDealSql,
  rankedLeadsSql,
  segmentRankSql,
  workableLeadSql,
} from './lead-rules-sql.ts';

/*
 * Managers' numbers, each defined once here in SQL over the stored facts (the README's "Numbers
 * for managers" says the same in words). Nothing is counted on the side: a figure is whatever the
 * touches, messages, lead history and step sends say. Read-only, so it runs on the statistics
 * connections with their statement timeout.
 */

/** A whole number inlined into SQL (a parameter would have no type where these are used). */
const int = (value: number) => {
  if (!Number.isInteger(value)) throw new Error(`not an integer: ${value}`);
  return sql.raw(String(value));
};
const instant = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** The wall-clock reading of an instant in the business time zone. */
const local = (at: SQL, cal: SqlCalendar) => sql`(${at} at time zone ${cal.timeZone}::text)`;
const workdays = (cal: SqlCalendar) => sql`${pgArray(cal.days.map(String))}::int[]`;
const holidays = (cal: SqlCalendar) => sql`${pgArray([...cal.holidays])}::date[]`;

/**
 * The team's opening hours as rows (open_at, close_at), one per working day from the calendar's
 * first to its last day, holidays left out: computed once per statement, then every wait is
 * measured against them.
 */
export function openWindowsSql(cal: SqlCalendar): SQL {
  return sql`select (d::date + make_interval(mins => ${int(cal.openMinute)})) at time zone ${cal.timeZone}::text as open_at,
      (d::date + make_interval(mins => ${int(cal.closeMinute)})) at time zone ${cal.timeZone}::text as close_at
    from generate_series(${cal.firstDay}::date::timestamp, ${cal.lastDay}::date::timestamp, interval '1 day') as d
    where extract(isodow from d)::int = any(${workdays(cal)}) and not (d::date = any(${holidays(cal)}))`;
}

/** isOpenAt over a windows relation: the instant falls in an opening. */
export function openAtSql(at: SQL, windows: SQL): SQL {
  return sql`exists (select 1 from ${windows} w where ${at} >= w.open_at and ${at} < w.close_at)`;
}

/**
 * businessMinutesBetween over a windows relation: the open time in [start, end), summed over the
 * openings that overlap it (the same day-by-day sum as src/domain/business-calendar.ts;
 * tests/db/stats-calendar.test.ts checks that both agree).
 */
export function businessMinutesSql(start: SQL, end: SQL, windows: SQL): SQL {
  return sql`(select coalesce(sum(extract(epoch from (least(${end}, w.close_at) - greatest(${start}, w.open_at)))), 0)::float8 / 60
    from ${windows} w where w.close_at > ${start} and w.open_at < ${end})`;
}

/** Who owned the lead at that instant, by its history (null: the team channel's, or before any owner). */
export function ownerAtSql(leadId: SQL, at: SQL): SQL {
  // Its own alias: the callers' rows are often lead_history rows named h.
  return sql`(select oh.new_value #>> '{}' from lead_history oh
    where oh.lead_id = ${leadId} and oh.fact = 'owner_changed' and oh.at <= ${at}
    order by oh.at desc, oh.id desc limit 1)`;
}

/** The leads a rep ever owned (one pass over the hand-overs), as rows (lead_id). */
const everOwnedSql = (ownerId: string) =>
  sql`select distinct eh.lead_id from lead_history eh where eh.fact = 'owner_changed' and eh.new_value #>> '{}' = ${ownerId}`;

/** An event belongs to the scope: any lead for the team, else a lead the rep owned at that moment. */
const ownedThen = (scope: StatsScope, leadId: SQL, at: SQL) =>
  scope.ownerId === null
    ? sql`true`
    : // The leads the rep ever owned first, then the owner at that moment.
      sql`(${leadId} in (${everOwnedSql(scope.ownerId)}) and ${ownerAtSql(leadId, at)} = ${scope.ownerId})`;
/** The rep owns the lead now (for the figures about now). */
const ownedNow = (scope: StatsScope) =>
  scope.ownerId === null ? sql`true` : sql`leads.owner_id = ${scope.ownerId}`;
const inPeriod = (at: SQL, scope: StatsScope) =>
  sql`${at} >= ${instant(scope.from)} and ${at} < ${instant(scope.to)}`;

/**
 * Speed to lead: a conversation opens with a lead's LINE message whose lead's previous touch was
 * not the lead's own (nothing yet, or the company spoke last); messages received together open it
 * once. Its first response is the company's next touch (a LINE reply, a call, a visit…), timed in
 * business minutes, so a message at night counts from the next opening. Unanswered: none yet.
 * `timed` holds one row per conversation: in_hours, minutes (null: unanswered) and, when asked,
 * the lead's owner at the message (from owner spans, the history's owner_changed rows).
 */
function firstResponsesCte(scope: StatsScope, withOwner: boolean): SQL {
  const owner = withOwner
    ? sql`, spans as (
        select lead_id, new_value #>> '{}' as owner_id, at as since,
          lead(at) over (partition by lead_id order by at, id) as until
        from lead_history where fact = 'owner_changed')`
    : sql``;
  const ownerColumn = withOwner
    ? sql`(select s.owner_id from spans s where s.lead_id = o.lead_id and s.since <= o.at
           and (s.until is null or o.at < s.until) limit 1)`
    : sql`null::text`;
  return sql`
    with windows as materialized (${openWindowsSql(scope.calendar)})${owner},
    openers as (
      select t.lead_id, t.at from touches t
      where t.direction = 'inbound' and t.channel = 'line' and ${inPeriod(sql`t.at`, scope)}
        and ${ownedThen(scope, sql`t.lead_id`, sql`t.at`)}
        and coalesce((select p.direction from touches p where p.lead_id = t.lead_id and p.at < t.at
                      order by p.at desc limit 1), 'outbound') = 'outbound'
      group by t.lead_id, t.at
    ),
    timed as materialized (
      select o.lead_id, ${openAtSql(sql`o.at`, sql`windows`)} as in_hours, ${ownerColumn} as owner_id,
        case when r.at is null then null else ${businessMinutesSql(sql`o.at`, sql`r.at`, sql`windows`)} end as minutes
      from openers o
      left join lateral (select min(x.at) as at from touches x
                         where x.lead_id = o.lead_id and x.direction = 'outbound' and x.at >= o.at) r on true
    )`;
}

const bucketColumns = sql.join(
  RESPONSE_BUCKETS.map((bucket, i) => {
    const lower = i === 0 ? 0 : (RESPONSE_BUCKETS[i - 1]?.upTo ?? 0);
    const upper = bucket.upTo === null ? sql`` : sql` and minutes < ${int(bucket.upTo)}`;
    return sql`count(*) filter (where minutes >= ${int(lower)}${upper})::int as ${sql.identifier(bucket.key)}`;
  }),
  sql`, `,
);

interface RepMedianRow {
  owner_id: string;
  median: number | string | null;
}

interface ResponseRow {
  in_hours: boolean;
  opened: number;
  answered: number;
  median: number | string | null;
  p90: number | string | null;
  unanswered: number;
  [bucket: string]: unknown;
}

const minutesOrNull = (value: number | string | null) => (value === null ? null : Number(value));

function responseTimes(row: ResponseRow | undefined): ResponseTimes {
  const buckets = {} as Record<ResponseBucket, number>;
  for (const bucket of RESPONSE_BUCKETS) buckets[bucket.key] = Number(row?.[bucket.key] ?? 0);
  buckets.unanswered = Number(row?.unanswered ?? 0);
  return {
    opened: Number(row?.opened ?? 0),
    answered: Number(row?.answered ?? 0),
    medianMinutes: minutesOrNull(row?.median ?? null),
    p90Minutes: minutesOrNull(row?.p90 ?? null),
    buckets,
  };
}

const timingRank = (segment: unknown): number =>
  SEGMENT_ORDER.includes(segment as TimingSegment)
    ? segmentRank(segment as TimingSegment)
    : segmentRank('undecided');

export function statsRepository(db: Executor): StatsQueries {
  const rows = async <T>(query: SQL) => rowsOf<T>(await db.execute(query));
  return {
    async speedToLead(scope, repIds = []) {
      const reps = sql`${pgArray([...repIds])}::text[]`;
      const [row] = await rows<{
        figures: string | { hours: ResponseRow[] | null; reps: RepMedianRow[] | null };
      }>(sql`
        ${firstResponsesCte(scope, repIds.length > 0)}
        select json_build_object(
          'hours', (select json_agg(h) from (
            select in_hours, count(*)::int as opened, count(minutes)::int as answered,
              percentile_cont(0.5) within group (order by minutes) as median,
              percentile_cont(0.9) within group (order by minutes) as p90,
              ${bucketColumns}, count(*) filter (where minutes is null)::int as unanswered
            from timed group by in_hours) h),
          'reps', (select json_agg(m) from (
            select owner_id, percentile_cont(0.5) within group (order by minutes) as median
            from timed where owner_id = any(${reps}) group by owner_id) m)
        ) as figures`);
      const figures = typeof row?.figures === 'string' ? JSON.parse(row.figures) : row?.figures;
      const hours: ResponseRow[] = figures?.hours ?? [];
      const repMedians: Record<string, number | null> = {};
      for (const rep of (figures?.reps ?? []) as RepMedianRow[])
        repMedians[rep.owner_id] = minutesOrNull(rep.median);
      return {
        speed: {
          inHours: responseTimes(hours.find((r) => r.in_hours === true)),
          outOfHours: responseTimes(hours.find((r) => r.in_hours === false)),
        },
        repMedians,
      };
    },

    async activity(scope): Promise<Activity> {
      const byAuthor = scope.ownerId === null ? sql`true` : sql`t.author_id = ${scope.ownerId}`;
      const grouped = await rows<{ channel: TouchChannel; outcome: TouchOutcome; touches: number }>(sql`
        select t.channel, t.outcome, count(*)::int as touches from touches t
        where t.direction = 'outbound' and ${inPeriod(sql`t.at`, scope)} and ${byAuthor}
        group by t.channel, t.outcome order by touches desc, t.channel, t.outcome`);
      const [totals] = await rows<{ leads_touched: number; lead_replies: number }>(sql`
        select
          (select count(distinct t.lead_id)::int from touches t
           where t.direction = 'outbound' and ${inPeriod(sql`t.at`, scope)} and ${byAuthor}) as leads_touched,
          (select count(*)::int from touches t
           where t.direction = 'inbound' and t.channel = 'line' and ${inPeriod(sql`t.at`, scope)}
             and ${ownedThen(scope, sql`t.lead_id`, sql`t.at`)}) as lead_replies`);
      // The 4-touch rule: each lead's first move to nurture or lost in the period, with its last
      // answer before it (a lead's message, or a contact that reached them) and the attempts since.
      const [rule] = await rows<{ given_up: number; after_four: number }>(sql`
        with gave_up as (
          select distinct on (h.lead_id) h.lead_id, h.at from lead_history h
          where h.fact = 'stage_changed' and h.new_value #>> '{}' in ('nurture', 'lost')
            and ${inPeriod(sql`h.at`, scope)} and ${ownedThen(scope, sql`h.lead_id`, sql`h.at`)}
          order by h.lead_id, h.at, h.id
        ), counted as (
          select g.lead_id, a.at as last_answer,
            (select count(*) from touches x where x.lead_id = g.lead_id and x.direction = 'outbound'
               and x.at <= g.at and (a.at is null or x.at > a.at)) as attempts
          from gave_up g
          left join lateral (select max(y.at) as at from touches y
                             where y.lead_id = g.lead_id and y.at <= g.at
                               and (y.direction = 'inbound' or y.outcome in ('reached', 'met', 'replied'))) a on true
        )
        select count(*) filter (where last_answer is null or attempts > 0)::int as given_up,
               count(*) filter (where attempts >= 4)::int as after_four
        from counted`);
      const touches = grouped.reduce((sum, row) => sum + Number(row.touches), 0);
      return {
        byChannelOutcome: grouped.map((r) => ({
          channel: r.channel,
          outcome: r.outcome,
          touches: Number(r.touches),
        })),
        touches,
        leadsTouched: Number(totals?.leads_touched ?? 0),
        leadReplies: Number(totals?.lead_replies ?? 0),
        givenUp: Number(rule?.given_up ?? 0),
        givenUpAfterFour: Number(rule?.after_four ?? 0),
      };
    },

    async pipeline(scope): Promise<Pipeline> {
      const { ranking } = scope;
      const cells = await rows<{ segment: TimingSegment; band: string | null; leads: number }>(sql`
        select lead_rank.segment, lead_rank.band, count(*)::int as leads from ${rankedLeadsSql(ranking)}
        where ${notErasedSql()} and ${openDealSql()} and ${ownedNow(scope)}
        group by lead_rank.segment, lead_rank.band`);
      const neglected = sql`${workableLeadSql()} and ${neglectedSql(ranking.neglectedBefore)} and ${ownedNow(scope)}`;
      const [counts] = await rows<{ neglected: number; new_leads: number }>(sql`
        select (select count(*)::int from leads where ${neglected}) as neglected,
               (select count(*)::int from leads where ${inPeriod(sql`leads.created_at`, scope)} and ${ownedNow(scope)}) as new_leads`);
      const oldest = await rows<{
        id: string;
        display_name: string | null;
        owner_id: string | null;
        since: Date | string;
      }>(sql`
        select leads.id, leads.display_name, leads.owner_id, coalesce(leads.last_touch_at, leads.created_at) as since
        from leads where ${neglected}
        order by coalesce(leads.last_touch_at, leads.created_at), leads.id limit 5`);
      const closes = await rows<{ stage: 'won' | 'lost'; leads: number }>(sql`
        select h.new_value #>> '{}' as stage, count(distinct h.lead_id)::int as leads from lead_history h
        where h.fact = 'stage_changed' and h.new_value #>> '{}' in ('won', 'lost')
          and ${inPeriod(sql`h.at`, scope)} and ${ownedThen(scope, sql`h.lead_id`, sql`h.at`)}
        group by 1`);
      const rank = (segment: SQL) => segmentRankSql(sql`coalesce(${segment}, 'undecided')`);
      const [moves] = await rows<{ nearer: number; further: number }>(sql`
        select count(*) filter (where to_rank < from_rank)::int as nearer,
               count(*) filter (where to_rank > from_rank)::int as further
        from (select ${rank(sql`h.old_value ->> 'segment'`)} as from_rank, ${rank(sql`h.new_value ->> 'segment'`)} as to_rank
              from lead_history h
              where h.fact = 'timing_changed' and ${inPeriod(sql`h.at`, scope)}
                and ${ownedThen(scope, sql`h.lead_id`, sql`h.at`)}) as m`);
      const conversion = await rows<{ segment: string | null; leads: number; won: number }>(sql`
        select coalesce(entry.segment, 'undecided') as segment, count(*)::int as leads,
          count(*) filter (where leads.stage = 'won')::int as won
        from leads
        left join lateral (select h.new_value ->> 'segment' as segment from lead_history h
                           where h.lead_id = leads.id and h.fact = 'timing_changed'
                           order by h.at, h.id limit 1) entry on true
        where ${inPeriod(sql`leads.created_at`, scope)} and ${ownedNow(scope)}
        group by 1`);
      const conversionBySegment = new Map(conversion.map((c) => [timingRank(c.segment), c]));
      return {
        bySegmentBand: cells.map((c) => ({ segment: c.segment, band: c.band, leads: Number(c.leads) })),
        neglected: Number(counts?.neglected ?? 0),
        oldestNeglected: oldest.map((lead) => ({
          leadId: lead.id,
          name: lead.display_name,
          ownerId: lead.owner_id,
          since: new Date(lead.since),
        })),
        movedNearer: Number(moves?.nearer ?? 0),
        movedFurther: Number(moves?.further ?? 0),
        newLeads: Number(counts?.new_leads ?? 0),
        won: Number(closes.find((c) => c.stage === 'won')?.leads ?? 0),
        lost: Number(closes.find((c) => c.stage === 'lost')?.leads ?? 0),
        conversion: SEGMENT_ORDER.flatMap((segment) => {
          const row = conversionBySegment.get(segmentRank(segment));
          return row ? [{ segment, leads: Number(row.leads), won: Number(row.won) }] : [];
        }),
      };
    },

    async steps(scope): Promise<StepFigures[]> {
      const within = (at: SQL) => sql`${at} > s.sent_at and ${at} <= s.sent_at + interval '72 hours'`;
      const result = await rows<{
        sequence_id: string;
        step_index: number;
        sent: number;
        replied: number;
        opted_out: number;
        blocked: number;
      }>(sql`
        select s.sequence_id, s.step_index, count(*)::int as sent,
          count(*) filter (where exists (select 1 from touches x where x.lead_id = s.lead_id
            and x.direction = 'inbound' and x.channel = 'line' and ${within(sql`x.at`)}))::int as replied,
          count(*) filter (where ${within(sql`leads.opted_out_at`)})::int as opted_out,
          count(*) filter (where exists (select 1 from lead_history h where h.lead_id = s.lead_id
            and h.fact = 'blocked' and ${within(sql`h.at`)}))::int as blocked
        from step_sends s join leads on leads.id = s.lead_id
        where s.status = 'sent' and ${inPeriod(sql`s.sent_at`, scope)}
          and ${ownedThen(scope, sql`s.lead_id`, sql`s.sent_at`)}
        group by s.sequence_id, s.step_index
        order by s.sequence_id, s.step_index`);
      return result.map((r) => ({
        sequenceId: r.sequence_id,
        stepIndex: Number(r.step_index),
        sent: Number(r.sent),
        repliedWithin72h: Number(r.replied),
        optedOutWithin72h: Number(r.opted_out),
        blockedWithin72h: Number(r.blocked),
      }));
    },

    async perRep(scope, repIds) {
      if (repIds.length === 0) return [];
      const reps = sql`${pgArray([...repIds])}::text[]`;
      const { ranking } = scope;
      const owned = await rows<{ owner_id: string; leads: number; neglected: number }>(sql`
        select leads.owner_id, count(*) filter (where ${notErasedSql()} and ${openDealSql()})::int as leads,
          count(*) filter (where ${workableLeadSql()} and ${neglectedSql(ranking.neglectedBefore)})::int as neglected
        from leads where leads.owner_id = any(${reps}) group by leads.owner_id`);
      const touched = await rows<{ author_id: string; touches: number }>(sql`
        select t.author_id, count(*)::int as touches from touches t
        where t.direction = 'outbound' and ${inPeriod(sql`t.at`, scope)} and t.author_id = any(${reps})
        group by t.author_id`);
      const won = await rows<{ owner_id: string; won: number }>(sql`
        select w.owner_id, count(distinct w.lead_id)::int as won from (
          select h.lead_id, ${ownerAtSql(sql`h.lead_id`, sql`h.at`)} as owner_id from lead_history h
          where h.fact = 'stage_changed' and h.new_value #>> '{}' = 'won' and ${inPeriod(sql`h.at`, scope)}
        ) w where w.owner_id = any(${reps}) group by w.owner_id`);
      const byRep = <R extends Record<K, string>, K extends string>(list: R[], key: K) =>
        new Map(list.map((row) => [row[key], row]));
      const [ownedBy, touchedBy, wonBy] = [
        byRep(owned, 'owner_id'),
        byRep(touched, 'author_id'),
        byRep(won, 'owner_id'),
      ];
      return repIds.map((repId) => ({
        repId,
        leadsOwned: Number(ownedBy.get(repId)?.leads ?? 0),
        touches: Number(touchedBy.get(repId)?.touches ?? 0),
        neglected: Number(ownedBy.get(repId)?.neglected ?? 0),
        won: Number(wonBy.get(repId)?.won ?? 0),
      }));
    },

    async weeklyTrend(scope, mondays): Promise<WeekTrend[]> {
      const first = mondays[0];
      if (first === undefined) return [];
      const cal = scope.calendar;
      const week = sql`(date_trunc('week', ${local(sql`t.at`, cal)})::date)::text`;
      const start = sql`(${first}::date::timestamp at time zone ${cal.timeZone}::text)`;
      const end = sql`((${mondays.at(-1) as string}::date + 7)::timestamp at time zone ${cal.timeZone}::text)`;
      const inWeeks = sql`t.at >= ${start} and t.at < ${end}`;
      const result = await rows<{ week: string; touches: number; replies: number }>(
        scope.ownerId === null
          ? sql`
        select ${week} as week,
          count(*) filter (where t.direction = 'outbound')::int as touches,
          count(*) filter (where t.direction = 'inbound' and t.channel = 'line')::int as replies
        from touches t where ${inWeeks}
        group by 1`
          : // One rep: their own touches by author, and the lead messages of the leads they owned
            // then, read lead by lead (a rep has a few hundred leads, the team a million touches).
            sql`
        select week, count(*) filter (where touch)::int as touches, count(*) filter (where not touch)::int as replies
        from (
          select ${week} as week, true as touch from touches t
          where t.direction = 'outbound' and t.author_id = ${scope.ownerId} and ${inWeeks}
          union all
          select ${week}, false from (${everOwnedSql(scope.ownerId)}) e join touches t on t.lead_id = e.lead_id
          where t.direction = 'inbound' and t.channel = 'line' and ${inWeeks}
            and ${ownerAtSql(sql`t.lead_id`, sql`t.at`)} = ${scope.ownerId}
        ) as w
        group by 1`,
      );
      const byWeek = new Map(result.map((r) => [r.week, r]));
      return mondays.map((weekStart) => ({
        weekStart,
        touches: Number(byWeek.get(weekStart)?.touches ?? 0),
        leadReplies: Number(byWeek.get(weekStart)?.replies ?? 0),
      }));
    },
  };
}

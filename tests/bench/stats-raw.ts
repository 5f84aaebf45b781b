// The stats benchmark's anchor: the figures of `/tsuikyaku stats` written by hand as plain SQL, six
// statements per report (first responses with the reps' medians, activity, pipeline, steps, the
// reps' rows, the weekly trend), sent through a bare postgres.js client. It shares nothing with
// db/repositories/stats-repository.ts but the inputs: the period's instants, the calendar with its
// holidays, today's segment bounds, neglect cut-off and amount bands (the StatsScope the app builds).
//
// The approach is the one a person writing the report in SQL would take: a lead's touches in order
// once (window functions: the touch before each message, the first company touch at or after it),
// a small table of the working days' open windows for business minutes, and each lead's owner spans
// (owner_changed rows with lead()) for "owned by the rep at the time".
import type postgres from 'postgres';
import type {
  Activity,
  Pipeline,
  RepFigures,
  ResponseTimes,
  SpeedToLead,
  StepFigures,
  WeekTrend,
} from '../../src/domain/stats/stats-figures.ts';
import type { StatsScope } from '../../src/ports/stats.ts';

export interface RawFigures {
  speed: SpeedToLead;
  activity: Activity;
  pipeline: Pipeline;
  steps: StepFigures[];
  reps: RepFigures[] | null;
  trend: WeekTrend[];
}

export interface RawInputs {
  scope: StatsScope;
  /** The trend's Mondays ('YYYY-MM-DD'), as the report shows them. */
  mondays: string[];
  /** Active reps, for the team's per-rep rows; null for one rep's numbers. */
  reps: string[] | null;
  /** segmentUpperBounds(today): [segment, 'YYYY-MM-DD'] nearest first. */
  segmentBounds: readonly (readonly [string, string])[];
}

const SEGMENTS = ['within_1m', 'within_3m', 'within_6m', 'within_1y', 'over_1y', 'undecided'];
const BUCKETS = [
  ['under_5m', 0, 5],
  ['under_1h', 5, 60],
  ['under_4h', 60, 240],
  ['under_24h', 240, 1440],
  ['over_24h', 1440, null],
] as const;

const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The statements of one report, each with its parameters: $1 from, $2 to, $3 the rep (or null). */
export function rawStatements(inputs: RawInputs): Record<string, string> {
  const { scope } = inputs;
  const cal = scope.calendar;
  const tz = lit(cal.timeZone);
  const rep = scope.ownerId !== null;
  const holidays = `array[${cal.holidays.map((d) => `${lit(d)}::date`).join(',')}]::date[]`;
  const workdays = `array[${cal.days.join(',')}]::int[]`;
  const firstLocal = `(($1::timestamptz at time zone ${tz})::date - 1)::timestamp`;
  // Each lead's owner over time: [since, until) from its owner_changed rows.
  const ownerSpans = `owner_spans as (
      select lead_id, new_value #>> '{}' as owner_id, at as since,
        coalesce(lead(at) over (partition by lead_id order by at, id), 'infinity') as until
      from lead_history where fact = 'owner_changed')`;
  const repSpans = `rep_spans as materialized (select lead_id, since, until from owner_spans where owner_id = $3)`;
  /** The rep owned the lead at `at` (team: always true). */
  const ownedThen = (alias: string, at: string) =>
    rep
      ? `exists (select 1 from rep_spans os where os.lead_id = ${alias}.lead_id and ${at} >= os.since and ${at} < os.until)`
      : 'true';
  // Every statement takes the same three parameters; this gives them their types even where unused.
  const typed =
    'typed_params as (select $1::timestamptz as from_at, $2::timestamptz as to_at, $3::text as rep_id)';
  const spansCte = rep ? `${typed}, ${ownerSpans}, ${repSpans},` : `${typed}, ${ownerSpans},`;
  const segmentOf = (timing: string) => {
    const target = `(case when length(${timing}) = 7 then ${timing} || '-01' else ${timing} end) collate "C"`;
    const cases = inputs.segmentBounds.map(([s, bound]) => `when ${target} <= ${lit(bound)} then ${lit(s)}`);
    return `(case when ${timing} is null or ${timing} = '' then 'undecided' ${cases.join(' ')} else 'over_1y' end)`;
  };
  const bands = scope.ranking.amountBands;
  const bandOf = `(case when l.amount_yen is null then null ${bands
    .map((b) =>
      b.maxYen === null
        ? `when true then ${lit(b.key)}`
        : `when l.amount_yen <= ${b.maxYen} then ${lit(b.key)}`,
    )
    .join(' ')} else ${lit(bands.at(-1)?.key ?? '')} end)`;
  const rankOf = (segment: string) =>
    `(case coalesce(${segment}, 'undecided') ${SEGMENTS.map((s, i) => `when ${lit(s)} then ${i}`).join(' ')} else 5 end)`;
  const ownedNow = rep ? 'l.owner_id = $3' : 'true';
  const workable = `(l.erased_at is null and (l.stage in ('open', 'nurture') or (l.kind = 'customer' and l.handover_date is not null)))`;
  const neglected = `coalesce(l.last_touch_at, l.created_at) < ${lit(scope.ranking.neglectedBefore.toISOString())}::timestamptz`;
  const inPeriod = (at: string) => `${at} >= $1 and ${at} < $2`;
  const bucketColumns = BUCKETS.map(
    ([key, lower, upper]) =>
      `count(*) filter (where minutes >= ${lower}${upper === null ? '' : ` and minutes < ${upper}`}) as ${key}`,
  ).join(', ');

  const speed = `
    with ${spansCte}
    open_windows as (
      select (d + make_interval(mins => ${cal.openMinute})) at time zone ${tz} as open_at,
             (d + make_interval(mins => ${cal.closeMinute})) at time zone ${tz} as close_at
      from generate_series(${firstLocal}, ((now() at time zone ${tz})::date + 1)::timestamp, interval '1 day') d
      where extract(isodow from d)::int = any(${workdays}) and not (d::date = any(${holidays}))),
    ordered as (
      select lead_id, at, direction, channel,
        lag(direction) over w as previous,
        min(at) filter (where direction = 'outbound') over (w range between current row and unbounded following) as answered_at
      from touches
      where lead_id in (select lead_id from touches where direction = 'inbound' and channel = 'line' and ${inPeriod('at')})
        ${rep ? 'and lead_id in (select lead_id from rep_spans)' : ''}
      window w as (partition by lead_id order by at)),
    openers as (
      select distinct lead_id, at, answered_at from ordered
      where direction = 'inbound' and channel = 'line' and ${inPeriod('at')} and coalesce(previous, 'outbound') = 'outbound'),
    timed as materialized (
      select o.lead_id, o.at,
        exists (select 1 from open_windows w where o.at >= w.open_at and o.at < w.close_at) as in_hours,
        case when o.answered_at is not null then
          (select coalesce(sum(extract(epoch from least(o.answered_at, w.close_at) - greatest(o.at, w.open_at))), 0)::float8 / 60
           from open_windows w where w.close_at > o.at and w.open_at < o.answered_at) end as minutes
      from openers o where ${ownedThen('o', 'o.at')}),
    by_hours as (
      select in_hours, count(*) as opened, count(minutes) as answered,
        percentile_cont(0.5) within group (order by minutes) as median,
        percentile_cont(0.9) within group (order by minutes) as p90,
        ${bucketColumns}, count(*) filter (where minutes is null) as unanswered
      from timed group by in_hours)
    select json_build_object(
      'hours', (select coalesce(json_agg(by_hours), '[]') from by_hours),
      'medians', ${
        inputs.reps
          ? `(select coalesce(json_agg(m), '[]') from (
              select s.owner_id, percentile_cont(0.5) within group (order by t.minutes) as median
              from timed t join owner_spans s on s.lead_id = t.lead_id and t.at >= s.since and t.at < s.until
              group by s.owner_id) m)`
          : `'[]'::json`
      }) as figures`;

  const byAuthor = rep ? 't.author_id = $3' : 'true';
  const activity = `
    with ${spansCte}
    attempts as (
      select t.lead_id, t.channel, t.outcome from touches t
      where t.direction = 'outbound' and ${inPeriod('t.at')} and ${byAuthor}),
    gave_up as (
      select distinct on (h.lead_id) h.lead_id, h.at from lead_history h
      where h.fact = 'stage_changed' and h.new_value #>> '{}' in ('nurture', 'lost') and ${inPeriod('h.at')}
        and ${ownedThen('h', 'h.at')}
      order by h.lead_id, h.at, h.id),
    answered as (
      select g.lead_id, g.at, max(t.at) filter (where t.direction = 'inbound' or t.outcome in ('reached', 'met', 'replied')) as last_answer
      from gave_up g left join touches t on t.lead_id = g.lead_id and t.at <= g.at
      group by g.lead_id, g.at),
    counted as (
      select a.lead_id, a.last_answer, count(t.lead_id) as attempts
      from answered a left join touches t on t.lead_id = a.lead_id and t.direction = 'outbound' and t.at <= a.at
        and (a.last_answer is null or t.at > a.last_answer)
      group by a.lead_id, a.last_answer)
    select json_build_object(
      'byChannelOutcome', (select coalesce(json_agg(c order by c.touches desc, c.channel, c.outcome), '[]') from (
        select channel, outcome, count(*) as touches from attempts group by channel, outcome) c),
      'leadsTouched', (select count(distinct lead_id) from attempts),
      'leadReplies', (select count(*) from touches t where t.direction = 'inbound' and t.channel = 'line'
        and ${inPeriod('t.at')} and ${ownedThen('t', 't.at')}),
      'givenUp', (select count(*) filter (where last_answer is null or attempts > 0) from counted),
      'givenUpAfterFour', (select count(*) filter (where attempts >= 4) from counted)) as figures`;

  const pipeline = `
    with ${spansCte}
    ranked as (
      select l.*, ${segmentOf('l.purchase_timing')} as segment, ${bandOf} as band from leads l
      where l.erased_at is null and l.stage in ('open', 'nurture') and ${ownedNow}),
    neglected as (
      select l.id, l.display_name, l.owner_id, coalesce(l.last_touch_at, l.created_at) as since from leads l
      where ${workable} and ${neglected} and ${ownedNow}),
    moves as (
      select ${rankOf("h.old_value ->> 'segment'")} as from_rank, ${rankOf("h.new_value ->> 'segment'")} as to_rank
      from lead_history h where h.fact = 'timing_changed' and ${inPeriod('h.at')} and ${ownedThen('h', 'h.at')}),
    closes as (
      select h.new_value #>> '{}' as stage, count(distinct h.lead_id) as leads from lead_history h
      where h.fact = 'stage_changed' and h.new_value #>> '{}' in ('won', 'lost') and ${inPeriod('h.at')}
        and ${ownedThen('h', 'h.at')}
      group by 1),
    arrivals as (
      select l.id, l.stage, coalesce(first_timing.segment, 'undecided') as segment from leads l
      left join (select distinct on (h.lead_id) h.lead_id, h.new_value ->> 'segment' as segment from lead_history h
                 where h.fact = 'timing_changed' order by h.lead_id, h.at, h.id) first_timing on first_timing.lead_id = l.id
      where ${inPeriod('l.created_at')} and ${ownedNow})
    select json_build_object(
      'cells', (select coalesce(json_agg(c), '[]') from (select segment, band, count(*) as leads from ranked group by 1, 2) c),
      'neglected', (select count(*) from neglected),
      'oldest', (select coalesce(json_agg(o), '[]') from (select * from neglected order by since, id limit 5) o),
      'newLeads', (select count(*) from arrivals),
      'won', (select coalesce(sum(leads), 0) from closes where stage = 'won'),
      'lost', (select coalesce(sum(leads), 0) from closes where stage = 'lost'),
      'nearer', (select count(*) filter (where to_rank < from_rank) from moves),
      'further', (select count(*) filter (where to_rank > from_rank) from moves),
      'conversion', (select coalesce(json_agg(c), '[]') from (
        select segment, count(*) as leads, count(*) filter (where stage = 'won') as won from arrivals group by 1) c)
    ) as figures`;

  const within = (at: string) => `${at} > s.sent_at and ${at} <= s.sent_at + interval '72 hours'`;
  const steps = `
    with ${spansCte}
    sent as (
      select s.lead_id, s.sequence_id, s.step_index, s.sent_at from step_sends s
      where s.status = 'sent' and ${inPeriod('s.sent_at')} and ${ownedThen('s', 's.sent_at')})
    select s.sequence_id, s.step_index, count(*) as sent,
      count(*) filter (where exists (select 1 from touches t where t.lead_id = s.lead_id and t.direction = 'inbound'
        and t.channel = 'line' and ${within('t.at')})) as replied,
      count(*) filter (where ${within('l.opted_out_at')}) as opted_out,
      count(*) filter (where exists (select 1 from lead_history h where h.lead_id = s.lead_id and h.fact = 'blocked'
        and ${within('h.at')})) as blocked
    from sent s join leads l on l.id = s.lead_id
    group by s.sequence_id, s.step_index order by s.sequence_id, s.step_index`;

  const repList = inputs.reps ? `array[${inputs.reps.map(lit).join(',')}]::text[]` : null;
  const perRep = repList
    ? `
    with ${spansCte}
    owned as (
      select l.owner_id, count(*) filter (where l.erased_at is null and l.stage in ('open', 'nurture')) as leads,
        count(*) filter (where ${workable} and ${neglected}) as neglected
      from leads l where l.owner_id = any(${repList}) group by l.owner_id),
    touched as (
      select author_id, count(*) as touches from touches
      where direction = 'outbound' and ${inPeriod('at')} and author_id = any(${repList}) group by author_id),
    won as (
      select s.owner_id, count(distinct h.lead_id) as won from lead_history h
      join owner_spans s on s.lead_id = h.lead_id and h.at >= s.since and h.at < s.until
      where h.fact = 'stage_changed' and h.new_value #>> '{}' = 'won' and ${inPeriod('h.at')}
      group by s.owner_id)
    select r.rep_id, coalesce(o.leads, 0) as leads, coalesce(o.neglected, 0) as neglected,
      coalesce(t.touches, 0) as touches, coalesce(w.won, 0) as won
    from unnest(${repList}) with ordinality as r(rep_id, ord)
    left join owned o on o.owner_id = r.rep_id left join touched t on t.author_id = r.rep_id
    left join won w on w.owner_id = r.rep_id
    order by r.ord`
    : null;

  const first = inputs.mondays[0] ?? '1970-01-05';
  const last = inputs.mondays.at(-1) ?? first;
  const trend = `
    with ${spansCte} weeks as (select 1)
    select (date_trunc('week', t.at at time zone ${tz})::date)::text as week,
      count(*) filter (where t.direction = 'outbound' and ${rep ? 't.author_id = $3' : 'true'}) as touches,
      count(*) filter (where t.direction = 'inbound' and t.channel = 'line' and ${rep ? 'os.lead_id is not null' : 'true'}) as replies
    from touches t
    ${rep ? 'left join rep_spans os on os.lead_id = t.lead_id and t.at >= os.since and t.at < os.until' : ''}
    where t.at >= (${lit(first)}::date::timestamp at time zone ${tz})
      and t.at < ((${lit(last)}::date + 7)::timestamp at time zone ${tz})
    group by 1`;

  return { speed, activity, pipeline, steps, ...(perRep ? { perRep } : {}), trend };
}

type Row = Record<string, unknown>;
const num = (value: unknown) => Number(value ?? 0);
const minutesOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function responseTimes(row: Row | undefined): ResponseTimes {
  const buckets = Object.fromEntries(
    BUCKETS.map(([key]) => [key, num(row?.[key])]),
  ) as ResponseTimes['buckets'];
  buckets.unanswered = num(row?.unanswered);
  return {
    opened: num(row?.opened),
    answered: num(row?.answered),
    medianMinutes: minutesOrNull(row?.median),
    p90Minutes: minutesOrNull(row?.p90),
    buckets,
  };
}

/** Runs one report's statements at once on `sql` (its pool bounds the concurrency) and shapes the figures. */
export async function rawReport(
  sql: postgres.Sql,
  statements: Record<string, string>,
  scope: StatsScope,
  reps: string[] | null,
  mondays: string[],
): Promise<RawFigures> {
  const params = [scope.from.toISOString(), scope.to.toISOString(), scope.ownerId];
  const run = (name: string) => {
    const text = statements[name];
    return text ? sql.unsafe<Row[]>(text, params as never[]) : Promise.resolve([] as Row[]);
  };
  const [speedRows, activityRows, pipelineRows, stepRows, repRows, trendRows] = await Promise.all([
    run('speed'),
    run('activity'),
    run('pipeline'),
    run('steps'),
    run('perRep'),
    run('trend'),
  ]);
  const speedJson = speedRows[0]?.figures as { hours: Row[]; medians: Row[] };
  const a = activityRows[0]?.figures as Row & { byChannelOutcome: Row[] };
  const p = pipelineRows[0]?.figures as Row & { cells: Row[]; oldest: Row[]; conversion: Row[] };
  const medians = new Map(speedJson.medians.map((m) => [m.owner_id as string, m.median]));
  const conversion = new Map(p.conversion.map((c) => [c.segment as string, c]));
  const byChannelOutcome = a.byChannelOutcome.map((c) => ({
    channel: c.channel as Activity['byChannelOutcome'][number]['channel'],
    outcome: c.outcome as Activity['byChannelOutcome'][number]['outcome'],
    touches: num(c.touches),
  }));
  const weeks = new Map(trendRows.map((r) => [r.week as string, r]));
  return {
    speed: {
      inHours: responseTimes(speedJson.hours.find((r) => r.in_hours === true)),
      outOfHours: responseTimes(speedJson.hours.find((r) => r.in_hours === false)),
    },
    activity: {
      byChannelOutcome,
      touches: byChannelOutcome.reduce((sum, c) => sum + c.touches, 0),
      leadsTouched: num(a.leadsTouched),
      leadReplies: num(a.leadReplies),
      givenUp: num(a.givenUp),
      givenUpAfterFour: num(a.givenUpAfterFour),
    },
    pipeline: {
      bySegmentBand: p.cells.map((c) => ({
        segment: c.segment as Pipeline['bySegmentBand'][number]['segment'],
        band: (c.band as string | null) ?? null,
        leads: num(c.leads),
      })),
      neglected: num(p.neglected),
      oldestNeglected: p.oldest.map((o) => ({
        leadId: o.id as string,
        name: (o.display_name as string | null) ?? null,
        ownerId: (o.owner_id as string | null) ?? null,
        since: new Date(o.since as string),
      })),
      movedNearer: num(p.nearer),
      movedFurther: num(p.further),
      newLeads: num(p.newLeads),
      won: num(p.won),
      lost: num(p.lost),
      conversion: SEGMENTS.flatMap((segment) => {
        const row = conversion.get(segment);
        return row
          ? [
              {
                segment: segment as Pipeline['conversion'][number]['segment'],
                leads: num(row.leads),
                won: num(row.won),
              },
            ]
          : [];
      }),
    },
    steps: stepRows.map((r) => ({
      sequenceId: r.sequence_id as string,
      stepIndex: num(r.step_index),
      sent: num(r.sent),
      repliedWithin72h: num(r.replied),
      optedOutWithin72h: num(r.opted_out),
      blockedWithin72h: num(r.blocked),
    })),
    reps: reps
      ? repRows.map((r) => ({
          repId: r.rep_id as string,
          leadsOwned: num(r.leads),
          medianMinutes: minutesOrNull(medians.get(r.rep_id as string)),
          touches: num(r.touches),
          neglected: num(r.neglected),
          won: num(r.won),
        }))
      : null,
    trend: mondays.map((weekStart) => ({
      weekStart,
      touches: num(weeks.get(weekStart)?.touches),
      leadReplies: num(weeks.get(weekStart)?.replies),
    })),
  };
}

/**
 * Where the app's figures and the raw SQL's differ (empty: the same). Lists compare as sets where
 * the app's order is not part of the figure (the pipeline's cells); minutes to a microsecond.
 */
export function figureDifferences(app: RawFigures, raw: RawFigures): string[] {
  const problems: string[] = [];
  const same = (path: string, a: unknown, b: unknown) => {
    const close =
      typeof a === 'number' && typeof b === 'number'
        ? Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a))
        : a === b;
    if (!close) problems.push(`${path}: app ${JSON.stringify(a)}, raw SQL ${JSON.stringify(b)}`);
  };
  const walk = (path: string, a: unknown, b: unknown): void => {
    if (a instanceof Date || b instanceof Date) {
      same(path, (a as Date | undefined)?.getTime?.(), (b as Date | undefined)?.getTime?.());
    } else if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) problems.push(`${path}: app ${a.length} rows, raw SQL ${b.length} rows`);
      else for (const [i, item] of a.entries()) walk(`${path}[${i}]`, item, b[i]);
    } else if (a && b && typeof a === 'object' && typeof b === 'object') {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys) walk(`${path}.${key}`, (a as Row)[key], (b as Row)[key]);
    } else {
      same(path, a, b);
    }
  };
  const cellKey = (c: { segment: string; band: string | null }) => `${c.segment}/${c.band}`;
  const sortCells = (f: RawFigures) => ({
    ...f,
    pipeline: {
      ...f.pipeline,
      bySegmentBand: [...f.pipeline.bySegmentBand].sort((x, y) => cellKey(x).localeCompare(cellKey(y))),
    },
  });
  walk('', sortCells(app), sortCells(raw));
  return problems;
}

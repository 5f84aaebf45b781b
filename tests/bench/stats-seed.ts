// Seeding for the stats benchmark: a team of reps, their leads, the touches and the lead history of
// the last few months, written straight into PostgreSQL with a few set-based statements
// (generate_series), so 100,000 leads and 1,000,000 touches take well under two minutes.
//
// Shapes, all drawn per lead (random() for the lead's own attributes, hashes of the lead's number for
// what several rows of one lead must agree on):
//   leads      created evenly over the last `days` days, round-robin over the reps; 5% reassigned
//              to another rep part-way; stage open 70%, nurture 12%, won 8%, lost 10%; purchase
//              timing (none for a quarter) from last month to 18 months on; amounts 5M..95M yen (a
//              fifth unknown); 2% blocked, 1% opted out, 3% past customers.
//   touches    5..15 per lead (10 on average), spread over up to 60 days after the lead arrived, in
//              pairs: the lead writes on LINE (70% of pairs; otherwise the rep tries first) and the
//              rep answers 1 minute to ~3 days later (log-uniform), by LINE 50%, phone 30% (reached,
//              no answer, left a message), email, visit or letter; 8% of answers are a second
//              message from the lead instead. Outbound touches are by the lead's owner at the time.
//   history    created + owner_changed (round_robin) per lead, owner_changed (reassign) for the
//              reassigned, stage_changed for every lead not open (to_jsonb of the stage, a jsonb
//              string, stored once), timing_changed ({timing, segment} objects) for the leads with
//              a timing (and a second change for a tenth), blocked for the blocked.
//   steps      a 3-step welcome sequence sent to every fifth lead 1, 3 and 7 days after it arrived.
import type postgres from 'postgres';

export interface StatsSeedOptions {
  reps: number;
  leads: number;
  days: number;
}

export const repId = (i: number) => `UBENCHREP${String(i).padStart(4, '0')}`;

/** A value in [0, 1) fixed by (key, salt): rows of one lead that must agree draw from it. */
const u = (key: string, salt: number) =>
  `((hashint8extended((${key})::bigint, ${salt}) & 2147483647)::float8 / 2147483648)`;

export interface SeedCounts {
  staff: number;
  leads: number;
  touches: number;
  history: number;
  stepSends: number;
  seconds: Record<string, number>;
}

export async function seedStats(sql: postgres.Sql, opts: StatsSeedOptions): Promise<SeedCounts> {
  const seconds: Record<string, number> = {};
  const timed = async (label: string, run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    seconds[label] = (performance.now() - started) / 1000;
  };
  const rep = (expr: string) => `'UBENCHREP' || lpad((${expr})::text, 4, '0')`;

  await timed('staff', () =>
    sql.unsafe(`
      insert into staff (slack_user_id, role, active, display_name, created_at, updated_at)
      select ${rep('i')}, 'rep', true, '担当者' || i, now() - interval '1 year', now()
      from generate_series(0, ${opts.reps - 1}) i
      on conflict (slack_user_id) do nothing`),
  );

  // The plan of each lead, kept for the statements below (dropped at the end).
  await timed('plan', async () => {
    await sql.unsafe(`drop table if exists bench_seed_leads`);
    await sql.unsafe(`
      create unlogged table bench_seed_leads as
      select i, gen_random_uuid() as id, created_at,
        least(now() - created_at, interval '60 days') as span,
        ${rep(`i % ${opts.reps}`)} as owner_id,
        case when i % 20 = 0 then ${rep(`(i + 7) % ${opts.reps}`)} end as first_owner,
        created_at + (now() - created_at) * 0.4 as reassigned_at,
        5 + (i % 11) as n,
        case when s < 0.08 then 'won' when s < 0.18 then 'lost' when s < 0.30 then 'nurture' else 'open' end as stage,
        created_at + (now() - created_at) * (0.7 + 0.25 * random()) as stage_at,
        case when random() < 0.25 then null
             when random() < 0.5 then to_char(now() + (random() * 19 - 1) * interval '1 month', 'YYYY-MM')
             else to_char(now() + (random() * 19 - 1) * interval '1 month', 'YYYY-MM-DD') end as timing,
        case when random() < 0.2 then null else (5 + floor(random() * 91))::bigint * 1000000 end as amount_yen,
        random() < 0.02 as blocked,
        random() < 0.01 as opted_out,
        random() < 0.1 as timing_twice
      from (select i, now() - random() * interval '${opts.days} days' as created_at, random() as s
            from generate_series(1, ${opts.leads}) i) g`);
    await sql.unsafe(`alter table bench_seed_leads add primary key (i)`);
  });

  await timed('leads', () =>
    sql.unsafe(`
      insert into leads (id, line_user_id, display_name, kind, status, source, owner_id, followed_at,
        blocked_at, purchase_timing, amount_yen, stage, closed_at, handover_date, opted_out_at,
        created_at, updated_at)
      select id, 'U' || md5('bench-stats-' || i), '見込み客' || i,
        case when stage = 'won' and i % 3 = 0 then 'customer' else 'lead' end,
        case when blocked then 'blocked' else 'active' end, 'follow', owner_id, created_at,
        case when blocked then stage_at end, timing, amount_yen, stage,
        case when stage in ('won', 'lost') then stage_at end,
        case when stage = 'won' and i % 3 = 0 then to_char(stage_at + interval '30 days', 'YYYY-MM-DD') end,
        case when opted_out then created_at + span * 0.5 end,
        created_at, now()
      from bench_seed_leads`),
  );

  // Touches in pairs (p): the first of a pair at the pair's slot, the second after a delay.
  await timed('touches', () =>
    sql.unsafe(`
      insert into touches (lead_id, channel, direction, outcome, author_id, at, created_at)
      select id, channel, direction, outcome,
        case when direction = 'outbound' then
          case when first_owner is not null and at < reassigned_at then first_owner else owner_id end end,
        at, at
      from (
        select l.id, l.first_owner, l.owner_id, l.reassigned_at, x.direction,
          case when x.direction = 'inbound' then 'line'
               when x.c < 0.5 then 'line' when x.c < 0.8 then 'phone' when x.c < 0.92 then 'email'
               when x.c < 0.97 then 'visit' else 'letter' end as channel,
          case when x.direction = 'inbound' then 'replied'
               when x.c < 0.5 then 'sent'
               when x.c < 0.8 then (case when x.o < 0.4 then 'reached' when x.o < 0.85 then 'no_answer' else 'left_message' end)
               when x.c < 0.92 then 'sent' when x.c < 0.97 then 'met' else 'sent' end as outcome,
          case when x.at < now() then x.at else now() - ${u('l.i * 64 + x.k', 9)} * interval '12 hours' end as at
        from bench_seed_leads l
        cross join lateral (
          select k, c, o,
            case when k % 2 = 1 then (case when ${u('l.i * 64 + (k + 1) / 2', 2)} < 0.7 then 'inbound' else 'outbound' end)
                 else (case when c < 0.08 then 'inbound' else 'outbound' end) end as direction,
            l.created_at + l.span * (((k + 1) / 2 - 1) + 0.5 * ${u('l.i * 64 + (k + 1) / 2', 1)}) / ceil(l.n / 2.0)
              + case when k % 2 = 0 then exp(${u('l.i * 64 + (k + 1) / 2', 3)} * ln(4000)) * interval '1 minute'
                     else interval '0' end as at
          from (select k, ${u('l.i * 64 + k', 4)} as c, ${u('l.i * 64 + k', 5)} as o
                from generate_series(1, l.n) k) r
        ) x
      ) t`),
  );

  await timed('lead state', () =>
    sql.unsafe(`
      update leads set last_touch_at = a.last_at, last_attempt_at = a.last_out, last_inbound_at = a.last_in,
        awaiting_reply_since = case when a.last_dir = 'inbound' and leads.stage in ('open', 'nurture') then a.last_at end
      from (select lead_id, max(at) as last_at, max(at) filter (where direction = 'outbound') as last_out,
              max(at) filter (where direction = 'inbound') as last_in,
              (array_agg(direction order by at desc))[1] as last_dir
            from touches group by lead_id) a
      where leads.id = a.lead_id`),
  );

  const segment = (timing: string, at: string) => `(case
    when ${timing} is null then 'undecided'
    when (case when length(${timing}) = 7 then ${timing} || '-01' else ${timing} end)::date <= (${at} + interval '1 month')::date then 'within_1m'
    when (case when length(${timing}) = 7 then ${timing} || '-01' else ${timing} end)::date <= (${at} + interval '3 months')::date then 'within_3m'
    when (case when length(${timing}) = 7 then ${timing} || '-01' else ${timing} end)::date <= (${at} + interval '6 months')::date then 'within_6m'
    when (case when length(${timing}) = 7 then ${timing} || '-01' else ${timing} end)::date <= (${at} + interval '12 months')::date then 'within_1y'
    else 'over_1y' end)`;
  await timed('history', () =>
    sql.unsafe(`
      insert into lead_history (lead_id, at, actor, fact, old_value, new_value, reason)
      select id, created_at, 'system', 'created', null::jsonb, null::jsonb, 'follow' from bench_seed_leads
      union all
      select id, created_at + interval '1 second', 'system', 'owner_changed', null,
        to_jsonb(coalesce(first_owner, owner_id)), 'round_robin' from bench_seed_leads
      union all
      select id, reassigned_at, first_owner, 'owner_changed', to_jsonb(first_owner), to_jsonb(owner_id), 'reassign'
      from bench_seed_leads where first_owner is not null
      union all
      select id, stage_at, case when stage = 'nurture' then 'system' else owner_id end, 'stage_changed',
        to_jsonb('open'::text), to_jsonb(stage),
        case when stage = 'nurture' then 'unanswered_attempts' else stage end
      from bench_seed_leads where stage <> 'open'
      union all
      select id, created_at + span * 0.2, 'system', 'timing_changed',
        jsonb_build_object('timing', null, 'segment', 'undecided'),
        jsonb_build_object('timing', first_timing, 'segment', ${segment('first_timing', 'created_at + span * 0.2')}), 'lead'
      from (select *, case when timing_twice then to_char(created_at + interval '10 months', 'YYYY-MM') else timing end as first_timing
            from bench_seed_leads where timing is not null) f
      union all
      select id, created_at + span * 0.6, owner_id, 'timing_changed',
        jsonb_build_object('timing', first_timing, 'segment', ${segment('first_timing', 'created_at + span * 0.6')}),
        jsonb_build_object('timing', timing, 'segment', ${segment('timing', 'created_at + span * 0.6')}), 'rep'
      from (select *, to_char(created_at + interval '10 months', 'YYYY-MM') as first_timing
            from bench_seed_leads where timing is not null and timing_twice) f
      union all
      select id, stage_at, 'system', 'blocked', null, null, null from bench_seed_leads where blocked
      order by 2`),
  );

  await timed('steps', () =>
    sql.unsafe(`
      with enrolled as (
        insert into sequence_enrolments (lead_id, sequence_id, trigger, state, next_step, enrolled_by,
          enrolled_at, ended_at, updated_at)
        select id, 'welcome', 'follow', 'completed', 3, 'system', created_at, created_at + interval '7 days', now()
        from bench_seed_leads where i % 5 = 0
        returning id, lead_id, enrolled_at)
      insert into step_sends (enrolment_id, lead_id, sequence_id, step_index, status, retry_key, dispatched_at, sent_at)
      select e.id, e.lead_id, 'welcome', s.step, 'sent', gen_random_uuid(),
        e.enrolled_at + s.after, e.enrolled_at + s.after + interval '2 seconds'
      from enrolled e
      cross join (values (0, interval '1 day'), (1, interval '3 days'), (2, interval '7 days')) as s(step, after)
      where e.enrolled_at + s.after < now()`),
  );

  await sql.unsafe(`drop table bench_seed_leads`);
  // VACUUM too: a long-lived database has its visibility map set, and autovacuum would otherwise
  // start on the million new touches in the middle of the measurements.
  await timed('vacuum analyze', () => sql.unsafe('vacuum (analyze)'));
  const [counts] = await sql<
    { staff: number; leads: number; touches: number; history: number; step_sends: number }[]
  >`
    select (select count(*)::int from staff) as staff, (select count(*)::int from leads) as leads,
      (select count(*)::int from touches) as touches, (select count(*)::int from lead_history) as history,
      (select count(*)::int from step_sends) as step_sends`;
  return {
    staff: counts?.staff ?? 0,
    leads: counts?.leads ?? 0,
    touches: counts?.touches ?? 0,
    history: counts?.history ?? 0,
    stepSends: counts?.step_sends ?? 0,
    seconds,
  };
}

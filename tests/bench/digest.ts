// Digest benchmark (issue 3): build + render every rep's morning digest for 100k leads, 200 reps
// and 1M touches on PostgreSQL, against one raw SQL query selecting the same leads, then again at
// 200k leads to check the growth. Peak RSS is the digest process's own (a child process).
import { fork } from 'node:child_process';
import postgres from 'postgres';
import { openDatabase } from '../../db/client.ts';
import {
  type BenchResult,
  createBenchDatabase,
  envNumber,
  fmt,
  fmtInt,
  log,
  serviceNodeFlags,
} from './support.ts';

interface ChildReport {
  times: number[];
  reps: number;
  listed: number;
  rendered: number;
  maxRssKb: number;
  heapUsedMb: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function seed(sql: postgres.Sql, from: number, to: number, reps: number, touchesPerLead: number) {
  await sql`
    insert into leads (line_user_id, display_name, status, source, owner_id, purchase_timing, amount_yen, stage,
      last_touch_at, last_attempt_at, unanswered_attempts, awaiting_reply_since, created_at, updated_at)
    select 'U' || md5(i::text), '見込み客 ' || i, 'active', 'follow', 'UREP' || lpad(((i % ${reps}) + 1)::text, 6, '0'),
      case when i % 6 = 0 then null else to_char(now() + ((i % 24) || ' months')::interval, 'YYYY-MM') end,
      case when i % 5 = 0 then null else (10 + i % 80) * 1000000 end,
      case when i % 10 = 0 then 'nurture' else 'open' end,
      now() - ((i % 60) || ' days')::interval, now() - ((i % 60) || ' days')::interval, i % 5,
      case when i % 50 = 0 then now() - interval '2 hours' else null end,
      now() - ((i % 400) || ' days')::interval, now()
    from generate_series(${from}::int, ${to}::int) i`;
  await sql`
    insert into touches (lead_id, channel, direction, outcome, at, created_at)
    select l.id, (array['line','phone','visit','email'])[1 + (g % 4)],
      case when g % 3 = 0 then 'inbound' else 'outbound' end,
      case when g % 3 = 0 then 'replied' else 'no_answer' end,
      now() - (g || ' days')::interval, now()
    from leads l cross join generate_series(1, ${touchesPerLead}::int) g
    where l.line_user_id in (select 'U' || md5(i::text) from generate_series(${from}::int, ${to}::int) i)`;
  await sql`analyze`;
}

function runChild(url: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./digest-process.ts', import.meta.url), [], {
      env: { ...process.env, DATABASE_URL: url },
      execArgv: serviceNodeFlags(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('digest child timed out'));
    }, 10 * 60_000);
    child.once('message', (report) => {
      clearTimeout(timer);
      resolve(report as ChildReport);
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`digest child exited with ${code}`));
    });
  });
}

async function rawSelection(sql: postgres.Sql, rounds: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await sql`select * from leads where owner_id in (select slack_user_id from staff where role = 'rep' and active)
      and stage in ('open', 'nurture')`;
    times.push(performance.now() - started);
  }
  return median(times);
}

export async function runDigestBench(): Promise<BenchResult> {
  const leads = envNumber('BENCH_DIGEST_LEADS', 100_000, 1000);
  const reps = envNumber('BENCH_DIGEST_REPS', 200, 1);
  const touchesPerLead = envNumber('BENCH_DIGEST_TOUCHES_PER_LEAD', 10, 0);
  const rounds = envNumber('BENCH_DIGEST_ROUNDS', 3, 1);
  const bench = await createBenchDatabase();
  const sql = postgres(bench.url, { max: 1, onnotice: () => {} });
  try {
    const migrated = await openDatabase({ url: bench.url, poolMax: 1 });
    await migrated.close();
    await sql`
      insert into staff (slack_user_id, role, active, display_name, created_at, updated_at)
      select 'UREP' || lpad(i::text, 6, '0'), 'rep', true, 'rep ' || i, now(), now() from generate_series(1, ${reps}::int) i`;
    log(`digest: seeding ${fmtInt(leads)} leads and ${fmtInt(leads * touchesPerLead)} touches...`);
    await seed(sql, 1, leads, reps, touchesPerLead);
    const rawSmall = await rawSelection(sql, rounds);
    const small = await runChild(bench.url);
    log(`digest: seeding ${fmtInt(leads)} more leads...`);
    await seed(sql, leads + 1, leads * 2, reps, touchesPerLead);
    const rawLarge = await rawSelection(sql, rounds);
    const large = await runChild(bench.url);

    const smallMs = median(small.times);
    const largeMs = median(large.times);
    const rssMb = small.maxRssKb / 1024;
    const rssLargeMb = large.maxRssKb / 1024;
    const lines = [
      `${fmtInt(leads)} leads / ${reps} reps / ${fmtInt(leads * touchesPerLead)} touches; median of ${rounds} rounds; each round builds and renders page 1 of every rep's digest (no posting); node flags as npm start: ${serviceNodeFlags().join(' ')}`,
      `digests (${fmtInt(leads)} leads): ${fmt(smallMs, 0)} ms for ${small.reps} reps, ${fmtInt(small.listed)} leads listed, ${fmtInt(small.rendered)} blocks; peak RSS ${fmt(rssMb, 0)} MB (heap in use at the end ${fmt(small.heapUsedMb, 0)} MB)`,
      `anchor: one raw SQL query selecting the same leads: ${fmt(rawSmall, 0)} ms`,
      `digests (${fmtInt(leads * 2)} leads): ${fmt(largeMs, 0)} ms; peak RSS ${fmt(rssLargeMb, 0)} MB; raw query ${fmt(rawLarge, 0)} ms`,
    ];
    const ratio = smallMs / rawSmall;
    const growth = largeMs / smallMs;
    const goals = [
      {
        label: 'digest build <= 3x the raw query',
        detail: `${fmt(smallMs, 0)} / ${fmt(rawSmall, 0)} ms = ${fmt(ratio, 2)}x`,
        pass: ratio <= 3,
      },
      {
        label: 'digest peak RSS < 256 MB',
        detail: `${fmt(rssMb, 0)} MB (200k: ${fmt(rssLargeMb, 0)} MB)`,
        pass: rssMb < 256,
      },
      {
        label: '200k leads <= 2.2x the 100k time',
        detail: `${fmt(largeMs, 0)} / ${fmt(smallMs, 0)} ms = ${fmt(growth, 2)}x`,
        pass: growth <= 2.2,
      },
    ];
    return {
      name: 'digest (morning digest build for every rep)',
      lines,
      goals,
      data: { leads, reps, touchesPerLead, rounds, small, large, rawSmall, rawLarge },
    };
  } finally {
    await sql.end({ timeout: 5 });
    await bench.drop();
  }
}

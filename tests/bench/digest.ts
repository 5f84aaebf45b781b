// Digest benchmark (issue 3): build + render every rep's morning digest for 100k leads, 200 reps
// and 1M touches on PostgreSQL, against one raw SQL query selecting the same leads, then again at
// 200k leads to check the growth. Peak RSS is the digest process's own (a child process).
// An empty or wrong digest is fast, so each size is first checked against the seeded data: a
// digest that does not list what it should fails the benchmark instead of reporting a time.
import { fork } from 'node:child_process';
import postgres from 'postgres';
import { digestMessage } from '../../adapters/slack/follow-up-blocks.ts';
import { openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import { DIGEST_SECTIONS } from '../../src/domain/digest.ts';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../src/domain/follow-up/default-follow-up-settings.ts';
import type { FollowUpPolicy } from '../../src/domain/follow-up-policy.ts';
import { isJapaneseHoliday } from '../../src/domain/japanese-holidays.ts';
import { catalog } from '../../src/messages.ts';
import { buildRepDigest } from '../../src/use-cases/build-rep-digest.ts';
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

/** The digest's peak RSS goal, checked at every size measured. */
const RSS_LIMIT_MB = 256;

/**
 * The policy digest-process.ts builds with. Keep the two the same: the check below compares the
 * number of leads the timed run listed with the number it lists itself (both on today's date in
 * Tokyo, so a run that straddles midnight there would see them differ).
 */
const policy: FollowUpPolicy = {
  settings: DEFAULT_FOLLOW_UP_SETTINGS,
  calendar: {
    timezone: 'Asia/Tokyo',
    openMinute: 540,
    closeMinute: 1080,
    days: [1, 2, 3, 4, 5],
    holidays: isJapaneseHoliday,
  },
  neglectDays: 30,
  escalationMinutes: [5, 15, 30],
  escalationReminderMinutes: 60,
};
const blockContext = {
  t: catalog('ja'),
  timezone: 'Asia/Tokyo',
  locale: 'ja' as const,
  now: () => new Date(),
  command: '/tsuikyaku',
};

/**
 * Checks the digests against the seeded data, through the same code the timed run uses, and ties
 * the timed run's own figures to it. Returns what is wrong (nothing when all is well). Facts read
 * straight from the tables: which leads each rep may work (open or nurture deals, past customers),
 * and which of those await a reply (each must be in its owner's 返信待ち section, and no other lead).
 */
async function checkDigests(
  url: string,
  sql: postgres.Sql,
  seededReps: number,
  child: ChildReport,
): Promise<string[]> {
  const problems: string[] = [];
  const isWorkable = sql`(stage in ('open', 'nurture') or (kind = 'customer' and handover_date is not null))`;
  const workable = new Map<string, number>();
  for (const row of await sql<{ owner_id: string; n: number }[]>`
    select owner_id, count(*)::int as n from leads where ${isWorkable} group by owner_id`)
    workable.set(row.owner_id, row.n);
  const awaiting = new Map<string, string[]>();
  for (const row of await sql<{ owner_id: string; id: string }[]>`
    select owner_id, id::text as id from leads
    where awaiting_reply_since is not null and status = 'active' and ${isWorkable}`)
    awaiting.set(row.owner_id, [...(awaiting.get(row.owner_id) ?? []), row.id]);
  if (awaiting.size === 0) problems.push('the seed left no lead awaiting a reply, so nothing can be checked');

  const database = await openDatabase({ url, poolMax: 2 });
  let listed = 0;
  try {
    const store = createStore(database.db);
    const reps = (await store.staff.listActive()).filter((s) => s.role === 'rep').map((s) => s.slackUserId);
    if (reps.length !== seededReps) problems.push(`${reps.length} active reps, ${seededReps} seeded`);
    if (child.reps !== seededReps)
      problems.push(`the timed run built ${child.reps} digests, not ${seededReps}`);
    const now = new Date();
    let rendered = false;
    for (const rep of reps) {
      const considered = (await store.leads.listWorkable([rep])).length;
      if (considered !== (workable.get(rep) ?? 0))
        problems.push(`${rep}: ${considered} leads considered, ${workable.get(rep) ?? 0} in the table`);
      const { digest, today } = await buildRepDigest({ store, policy }, rep, now);
      const items = DIGEST_SECTIONS.flatMap((section) => digest[section]);
      listed += items.length;
      if (items.length === 0 && considered > 0)
        problems.push(`${rep}: an empty digest for ${considered} leads`);
      if (new Set(items.map((i) => i.lead.id)).size !== items.length)
        problems.push(`${rep}: a lead listed twice`);
      if (items.some((i) => i.lead.ownerId !== rep)) problems.push(`${rep}: another rep's lead listed`);
      const got = digest.awaiting_reply.map((i) => i.lead.id).sort();
      const want = [...(awaiting.get(rep) ?? [])].sort();
      if (got.join() !== want.join())
        problems.push(
          `${rep}: ${got.length} leads under 返信待ち, ${want.length} awaiting a reply in the table`,
        );
      const first = digest.awaiting_reply[0]?.lead.displayName;
      if (first && !rendered) {
        // Page 1 as posted to Slack names the first lead waiting for an answer.
        const message = digestMessage(digest, 0, today, now, blockContext);
        if (!JSON.stringify(message.blocks).includes(first))
          problems.push(`${rep}: page 1 does not show ${first}`);
        rendered = true;
      }
    }
    if (!rendered) problems.push('no digest page with a lead awaiting a reply was rendered');
  } finally {
    await database.close();
  }
  if (child.listed !== listed)
    problems.push(`the timed run listed ${child.listed} leads, the check ${listed}`);
  if (child.rendered < child.reps)
    problems.push(`the timed run rendered ${child.rendered} blocks for ${child.reps} reps`);
  return problems.slice(0, 10);
}

/** Measures one size, and refuses to report a time for digests that are wrong. */
async function measure(url: string, sql: postgres.Sql, reps: number, leads: number): Promise<ChildReport> {
  const report = await runChild(url);
  const problems = await checkDigests(url, sql, reps, report);
  if (problems.length > 0)
    throw new Error(
      `digests at ${fmtInt(leads)} leads are wrong, so their time means nothing:\n  ${problems.join('\n  ')}`,
    );
  log(
    `digest: ${fmtInt(leads)} leads: every rep's digest lists what the seeded data says (${fmtInt(report.listed)} leads)`,
  );
  return report;
}

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
    const small = await measure(bench.url, sql, reps, leads);
    log(`digest: seeding ${fmtInt(leads)} more leads...`);
    await seed(sql, leads + 1, leads * 2, reps, touchesPerLead);
    const rawLarge = await rawSelection(sql, rounds);
    const large = await measure(bench.url, sql, reps, leads * 2);

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
        label: `digest peak RSS < ${RSS_LIMIT_MB} MB (${fmtInt(leads)} leads)`,
        detail: `${fmt(rssMb, 0)} MB`,
        pass: rssMb < RSS_LIMIT_MB,
      },
      {
        label: `digest peak RSS < ${RSS_LIMIT_MB} MB (${fmtInt(leads * 2)} leads)`,
        detail: `${fmt(rssLargeMb, 0)} MB`,
        pass: rssLargeMb < RSS_LIMIT_MB,
      },
      {
        label: `${fmtInt(leads * 2)} leads <= 2.2x the ${fmtInt(leads)} time`,
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

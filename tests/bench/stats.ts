// Stats benchmark (issue 12): `/tsuikyaku stats` for a team of 200 reps, 100,000 leads, 1,000,000
// touches and their history on PostgreSQL. The real app runs in a child process (outbox worker
// started), so its RSS is its own; a fake Slack and a fake LINE run in this process (one clock).
// 20 `stats <month>` and 20 `stats <month> @rep` commands are sent at once, signed as Slack sends them,
// from a process of their own (request-sender.ts), as Slack's are from outside the app.
//   ack:          command sent -> the HTTP answer (集計中…); anchor: Slack's 3,000 ms deadline.
//   full answer:  command sent -> the fake Slack received the numbers at the command's response_url
//                 (the chart's outbox row is written right after).
//   anchor:       the same figures by hand-written SQL (stats-raw.ts), the same 20 + 20 reports at
//                 once through a bare postgres.js client with the statistics pool's budget
//                 (STATS_POOL_MAX connections, the same parallel-query setting).
//   outbox:       slack.alert rows kept queued (topped up by BENCH_STATS_OUTBOX_ROWS whenever half are
//                 gone) and delivered to the fake Slack, rows done per second with the app otherwise
//                 idle, during the raw SQL anchor and during the commands.
//   memory:       the child's peak RSS (VmHWM, sampled with VmRSS from /proc every 100 ms), and
//                 its process.memoryUsage() every 500 ms (V8 heap or not).
// The figures are checked first: the app's report (buildStatsReport, in this process) and the raw
// SQL's must be equal for the team and for one rep, and a command's answer must show that report.
// Run alone: node tests/bench/stats.ts (or BENCH_ONLY=stats npm run bench).

import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql as drizzleSql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { startFakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import { slashCommand } from '../../adapters/slack/fake/slack-client-requests.ts';
import { statsMessage } from '../../adapters/slack/stats-blocks.ts';
import { openDatabase, STATS_POOL_MAX } from '../../db/client.ts';
import { rowsOf } from '../../db/repositories/executor.ts';
import { statsRepository } from '../../db/repositories/stats-repository.ts';
import { createStore } from '../../db/store.ts';
import { readConfig } from '../../src/config.ts';
import { addMonths, localDate } from '../../src/domain/business-calendar.ts';
import { segmentUpperBounds } from '../../src/domain/follow-up/purchase-timing.ts';
import type { FollowUpPolicy } from '../../src/domain/follow-up-policy.ts';
import { parsePeriod, type ReportPeriod } from '../../src/domain/report-period.ts';
import { catalog } from '../../src/messages.ts';
import type { StatsQueries } from '../../src/ports/stats.ts';
import { businessCalendarOf } from '../../src/service.ts';
import { loadFollowUpSettings } from '../../src/settings-file.ts';
import {
  buildStatsReport,
  type StatsReport,
  statsScope,
  trendMondays,
} from '../../src/use-cases/stats/team-stats.ts';
import { waitUntil } from './relay-latency.ts';
import type { SentRequest } from './request-sender.ts';
import { figureDifferences, type RawFigures, rawReport, rawStatements } from './stats-raw.ts';
import { repId, seedStats } from './stats-seed.ts';
import {
  BENCH_ADMIN,
  type BenchChild,
  type BenchResult,
  benchAppEnv,
  type ChildStats,
  cpuWindow,
  createBenchDatabase,
  describeCpu,
  envNumber,
  fmt,
  fmtInt,
  type Goal,
  LINE_TOKEN,
  log,
  percentile,
  printResult,
  SLACK_SECRET,
  SLACK_TOKEN,
  sleep,
  startChild,
  summarize,
  TEAM_CHANNEL,
  withDeadline,
} from './support.ts';

export interface StatsBenchOptions {
  reps: number;
  leads: number;
  /** How far back the seeded leads and touches go. */
  days: number;
  teamCommands: number;
  repCommands: number;
  /** The period word sent with every command (default: last month, a whole month of data). */
  period: string;
  /** slack.alert rows added whenever fewer than half of them are still queued. */
  outboxRows: number;
  /** Seconds the outbox is measured with the app otherwise idle. */
  outboxIdleSeconds: number;
  /** Print EXPLAIN ANALYZE of the app's slow statements after the run. */
  explain: boolean;
  timeoutSeconds: number;
}

const TIME_ZONE = 'Asia/Tokyo';

/** The last whole month in the business time zone, 'YYYY-MM': a month of data whatever the day. */
export function lastMonth(now = new Date()): string {
  return addMonths(`${localDate(now, TIME_ZONE).slice(0, 7)}-01`, -1).slice(0, 7);
}

export function statsOptionsFromEnv(): StatsBenchOptions {
  return {
    reps: envNumber('BENCH_STATS_REPS', 200, 1),
    leads: envNumber('BENCH_STATS_LEADS', 100_000, 1000),
    days: envNumber('BENCH_STATS_DAYS', 92, 7),
    teamCommands: envNumber('BENCH_STATS_TEAM_COMMANDS', 20, 1),
    repCommands: envNumber('BENCH_STATS_REP_COMMANDS', 20, 0),
    period: process.env.BENCH_STATS_PERIOD?.trim() || lastMonth(),
    outboxRows: envNumber('BENCH_STATS_OUTBOX_ROWS', 1000, 10),
    outboxIdleSeconds: envNumber('BENCH_STATS_OUTBOX_IDLE_SECONDS', 15, 1),
    explain: process.env.BENCH_STATS_EXPLAIN === '1',
    timeoutSeconds: envNumber('BENCH_STATS_TIMEOUT_SECONDS', 1800, 60),
  };
}

const GOALS = { ackP99Ms: 300, answerRatio: 1.5, outboxShare: 0.8, rssMb: 256 } as const;
const SLACK_ACK_DEADLINE_MS = 3000;

// ---- the child's memory ----------------------------------------------------------------------

interface Memory {
  rssKb: number;
  hwmKb: number;
  /** The parts of VmRSS: the heaps and other private memory, and mapped files (node itself, .so, fonts). */
  anonKb: number;
  fileKb: number;
}

/** VmRSS / VmHWM of a process from /proc, in kB (undefined off Linux or once it is gone). */
function memoryOf(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), anonKb: kb('RssAnon'), fileKb: kb('RssFile') };
  } catch {
    return undefined;
  }
}

/** Samples the child's RSS every 100 ms; the highest reading per phase, and VmHWM (the kernel's peak). */
function rssSampler(pid: number) {
  const peaks = new Map<string, number>();
  let phase = 'start';
  let hwmKb = 0;
  let highest: Memory | undefined;
  const sample = () => {
    const m = memoryOf(pid);
    if (!m) return;
    peaks.set(phase, Math.max(peaks.get(phase) ?? 0, m.rssKb));
    if (Number.isFinite(m.hwmKb)) hwmKb = Math.max(hwmKb, m.hwmKb);
    if (!highest || m.rssKb > highest.rssKb) highest = m;
  };
  const timer = setInterval(sample, 100);
  sample();
  return {
    phase(name: string) {
      sample();
      phase = name;
      sample();
    },
    current: () => phase,
    peakMb: (name: string) => (peaks.get(name) ?? Number.NaN) / 1024,
    /** "start 165, seed 170, …" MB: the highest sample of each phase. */
    byPhase: () => [...peaks].map(([name, kb]) => `${name} ${fmt(kb / 1024, 0)}`).join(', '),
    /** The highest sample, split into private (anon) and file-backed memory. */
    highest: () => highest,
    hwmMb: () => {
      sample();
      return hwmKb / 1024;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * Asks the child for its CPU, event-loop use and process.memoryUsage() every 500 ms (one request
 * at a time: the IPC answers one) until stop(): its heap and native memory at each phase's highest
 * RSS, and its CPU and event loop over any window of the samples.
 */
function childPoller(app: BenchChild, phaseOf: () => string) {
  const samples: { at: number; phase: string; stats: ChildStats }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const stats = await app.stats().catch(() => undefined);
      if (stats) samples.push({ at: performance.now(), phase: phaseOf(), stats });
      // Time is the subject: memory is sampled every half second for the per-phase peaks.
      await sleep(500);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
    /** Cores of CPU and event-loop use between two instants (perf clock), from the samples. */
    window(from: number, to: number): { cores: number; elu: number } {
      const inside = samples.filter((s) => s.at >= from && s.at <= to);
      const first = inside[0];
      const last = inside.at(-1);
      if (!first || !last || last === first) return { cores: Number.NaN, elu: Number.NaN };
      let busy = 0;
      for (let i = 1; i < inside.length; i++) {
        const [prev, cur] = [inside[i - 1], inside[i]] as [(typeof inside)[number], (typeof inside)[number]];
        busy += cur.stats.elu * (cur.at - prev.at);
      }
      const ms = last.at - first.at;
      return { cores: (last.stats.cpuMicros - first.stats.cpuMicros) / (ms * 1000), elu: busy / ms };
    },
    /** The child's own memory figures at the sample with the highest RSS of each phase, in phase order. */
    highestByPhase(): Map<string, NonNullable<ChildStats['memory']>> {
      const byPhase = new Map<string, NonNullable<ChildStats['memory']>>();
      for (const s of samples) {
        const best = byPhase.get(s.phase);
        if (s.stats.memory && (!best || s.stats.memory.rss > best.rss)) byPhase.set(s.phase, s.stats.memory);
      }
      return byPhase;
    },
  };
}

// ---- outbox load -----------------------------------------------------------------------------

interface OutboxRate {
  rows: number;
  seconds: number;
  perSecond: number;
}

/**
 * Keeps slack.alert rows queued for the app's worker: `rows` more whenever fewer than half are
 * pending. Each names a seeded lead (the handler reads it) and has its own order key, so the worker
 * delivers them in parallel. Resolves once the worker is delivering them; stop() returns the rows
 * done per second from then on, on the database's clock (done_at).
 */
async function outboxFeed(sql: postgres.Sql, rows: number, leadIds: string[], tag: string) {
  let running = true;
  let batch = 0;
  // Never rejects: a failure ends the feed and stop() reports it.
  let failure: unknown;
  const loop = (async () => {
    while (running) {
      const [row] = await sql<{ pending: number }[]>`
        select count(*)::int as pending from outbox
        where kind = 'slack.alert' and status in ('pending', 'processing')`;
      if ((row?.pending ?? 0) < rows / 2) {
        batch += 1;
        const leads = Array.from({ length: rows }, (_, i) => leadIds[(batch * rows + i) % leadIds.length]);
        await sql`
          insert into outbox (kind, order_key, payload)
          select 'slack.alert', ${`bench-load:${tag}:${batch}:`} || n,
            jsonb_build_object('kind', 'slack.alert', 'leadId', lead, 'failedKind', 'slack.relay', 'error', 'bench load')
          from unnest(${`{${leads.join(',')}}`}::uuid[]) with ordinality as u(lead, n)`;
      }
      // Time is the subject: the backlog is looked at five times a second to keep it topped up.
      await sleep(200);
    }
  })().catch((error: unknown) => {
    running = false;
    failure = error;
  });
  // The worker finds rows written from outside at its next poll (OUTBOX_POLL_MS): the window opens
  // once it is delivering them.
  await waitUntil('outbox load started', 30_000, async () => {
    const [row] = await sql<{ done: number }[]>`
      select count(*)::int as done from outbox
      where kind = 'slack.alert' and status = 'done' and order_key like ${`bench-load:${tag}:%`}`;
    return { done: (row?.done ?? 0) > 0, value: row };
  }).catch(async (error: unknown) => {
    running = false;
    await loop;
    throw error;
  });
  const [opened] = await sql<{ at: Date }[]>`select now() as at`;
  const from = opened?.at as Date;
  return {
    async stop(): Promise<OutboxRate> {
      running = false;
      await loop;
      if (failure) throw failure;
      const [row] = await sql<{ done: number; seconds: number }[]>`
        select count(*)::int as done, extract(epoch from now() - ${from}::timestamptz)::float8 as seconds
        from outbox where kind = 'slack.alert' and order_key like ${`bench-load:${tag}:%`}
          and done_at >= ${from}::timestamptz and done_at <= now()`;
      const done = row?.done ?? 0;
      const seconds = row?.seconds ?? Number.NaN;
      return { rows: done, seconds, perSecond: done / seconds };
    },
  };
}

/** Waits until no slack.alert row is queued (between phases, so each starts from an empty queue). */
async function outboxDrained(sql: postgres.Sql): Promise<void> {
  await waitUntil('outbox drained', 120_000, async () => {
    const [row] = await sql<{ pending: number }[]>`
      select count(*)::int as pending from outbox where status in ('pending', 'processing')`;
    return { done: row?.pending === 0, value: row };
  });
}

// ---- commands --------------------------------------------------------------------------------

const epochNow = () => performance.timeOrigin + performance.now();

interface CommandRun {
  label: string;
  ackMs: number;
  ackStatus: number;
  ackText: string;
  answerMs: number | null;
  answer: Record<string, unknown> | null;
}

/** Collects the posts to the commands' response URLs, each with the moment it arrived. */
function recordResponses(slack: FakeSlackApi) {
  const arrived = new Map<string, { at: number; body: Record<string, unknown> }>();
  const waiters = new Map<string, () => void>();
  let givenUp = false;
  const stop = slack.onResponse((response) => {
    const at = epochNow();
    if (!arrived.has(response.id)) arrived.set(response.id, { at, body: response.body });
    waiters.get(response.id)?.();
  });
  return {
    arrived,
    /** Resolves when a post reaches this response URL id, or after `ms`. */
    wait(id: string, ms: number): Promise<void> {
      if (arrived.has(id) || givenUp) return Promise.resolve();
      return new Promise((resolve) => {
        // A deadline, not a wait: the arrival resolves it at once; this only ends a wait that hangs.
        const timer = setTimeout(() => {
          waiters.delete(id);
          resolve();
        }, ms);
        waiters.set(id, () => {
          clearTimeout(timer);
          waiters.delete(id);
          resolve();
        });
      });
    },
    /** Ends every wait now (the app is gone: nothing more will arrive). */
    giveUp() {
      for (const waiter of [...waiters.values()]) waiter();
      givenUp = true;
    },
    stop,
  };
}

/** The request sender (request-sender.ts) in a process of its own. */
async function startSender() {
  const child = fork(new URL('./request-sender.ts', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the request sender exited (code ${code})`)));
  });
  return {
    send(url: string, requests: { id: string; headers: Record<string, string>; body: string }[]) {
      return new Promise<SentRequest[]>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the request sender exited (code ${code})`));
        child.once('exit', onExit);
        child.once('message', (raw) => {
          child.off('exit', onExit);
          resolve((raw as { results: SentRequest[] }).results);
        });
        child.send({ type: 'send', url, requests });
      });
    },
    stop: async () => {
      if (child.exitCode === null) child.kill();
    },
  };
}

/**
 * Sends the commands at once from the sender process (signed, from the manager, in the team
 * channel), then waits for each answer at its response_url. Times are epoch milliseconds from both
 * processes.
 */
async function sendCommands(
  sender: Awaited<ReturnType<typeof startSender>>,
  appUrl: string,
  slack: FakeSlackApi,
  responses: ReturnType<typeof recordResponses>,
  commands: { label: string; text: string }[],
  timeoutMs: number,
): Promise<CommandRun[]> {
  const requests = commands.map(({ label, text }) => {
    const id = `stats-${label}-${randomUUID().slice(0, 8)}`;
    const request = slashCommand(
      {
        command: '/tsuikyaku',
        text,
        userId: BENCH_ADMIN,
        channelId: TEAM_CHANNEL,
        responseUrl: slack.responseUrl(id),
        triggerId: `trigger.${randomUUID()}`,
      },
      SLACK_SECRET,
    );
    return { id, label, headers: request.headers as Record<string, string>, body: request.body };
  });
  const sent = await sender.send(
    `${appUrl}/slack/events`,
    requests.map(({ id, headers, body }) => ({ id, headers, body })),
  );
  return Promise.all(
    requests.map(async ({ id, label }) => {
      const request = sent.find((r) => r.id === id) as SentRequest;
      let ackText = request.text;
      try {
        ackText = (JSON.parse(request.text) as { text?: string }).text ?? request.text;
      } catch {}
      await responses.wait(id, timeoutMs);
      const got = responses.arrived.get(id);
      return {
        label,
        ackMs: request.answeredAt - request.sentAt,
        ackStatus: request.status,
        ackText,
        answerMs: got ? got.at - request.sentAt : null,
        answer: got?.body ?? null,
      };
    }),
  );
}

/** An answer carrying the numbers (blocks), not the failure text nor nothing at all. */
const answered = (run: CommandRun) =>
  run.answer !== null && Array.isArray(run.answer.blocks) && (run.answer.blocks as unknown[]).length > 0;

// ---- the app's statements, for EXPLAIN ---------------------------------------------------------

/** The SQL the app sends for one report, captured without running it. */
async function appStatements(
  scope: ReturnType<typeof statsScope>,
  period: ReportPeriod,
  reps: string[] | null,
): Promise<{ name: string; sql: string; params: unknown[] }[]> {
  const dialect = new PgDialect();
  const captured: { name: string; sql: string; params: unknown[] }[] = [];
  let current = '';
  const capture = {
    execute: async (query: Parameters<PgDialect['sqlToQuery']>[0]) => {
      captured.push({
        name: `${current}#${captured.filter((c) => c.name.startsWith(`${current}#`)).length}`,
        ...dialect.sqlToQuery(query),
      });
      return [];
    },
  } as unknown as Parameters<typeof statsRepository>[0];
  const stats: StatsQueries = statsRepository(capture);
  const calls: [string, () => Promise<unknown>][] = [
    // The reps go along for the team: a speedToLead that also computes their medians takes them.
    ['speedToLead', () => (stats.speedToLead as (...args: unknown[]) => Promise<unknown>)(scope, reps ?? [])],
    ['activity', () => stats.activity(scope)],
    ['pipeline', () => stats.pipeline(scope)],
    ['steps', () => stats.steps(scope)],
    ['perRep', () => (reps ? stats.perRep(scope, reps) : Promise.resolve())],
    ['weeklyTrend', () => stats.weeklyTrend(scope, trendMondays(period))],
  ];
  for (const [name, call] of calls) {
    current = name;
    await call().catch(() => {});
  }
  return captured;
}

async function explainSlow(
  url: string,
  scope: ReturnType<typeof statsScope>,
  period: ReportPeriod,
  reps: string[] | null,
) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const statement of await appStatements(scope, period, reps)) {
      const rows = await sql.unsafe<{ 'QUERY PLAN': string }[]>(
        `explain (analyze, buffers, costs off) ${statement.sql}`,
        statement.params as never[],
      );
      const plan = rows.map((r) => r['QUERY PLAN']);
      const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan.at(-1) ?? '')?.[1] ?? Number.NaN);
      log(
        `stats explain (${scope.ownerId ? `@${scope.ownerId}` : 'team'}): ${statement.name} ${fmt(ms, 0)} ms`,
      );
      if (ms >= 1000) log(plan.map((line) => `    ${line}`).join('\n'));
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// ---- the benchmark ---------------------------------------------------------------------------

const appFigures = (report: StatsReport): RawFigures => ({
  speed: report.speed,
  activity: report.activity,
  pipeline: report.pipeline,
  steps: report.steps,
  reps: report.reps,
  trend: report.trend,
});

export async function runStatsBench(opts: StatsBenchOptions = statsOptionsFromEnv()): Promise<BenchResult> {
  const database = await createBenchDatabase();
  const closers: Array<() => Promise<unknown>> = [];
  const children: BenchChild[] = [];
  // Stopped before the child is: its requests must not outlive the IPC channel.
  let stopPoller: () => Promise<void> = async () => {};
  try {
    return await withDeadline('stats benchmark', opts.timeoutSeconds * 1000, async () => {
      const commands = opts.teamCommands + opts.repCommands;
      log(
        `stats: database ${database.name}; ${opts.reps} reps, ${fmtInt(opts.leads)} leads over ${opts.days} days; ${opts.teamCommands} \`stats ${opts.period}\` + ${opts.repCommands} \`stats ${opts.period} @rep\``,
      );
      const slack = await startFakeSlackApi({ botToken: SLACK_TOKEN });
      closers.push(() => slack.close());
      const line = await startFakeLineApi({ channelAccessToken: LINE_TOKEN });
      closers.push(() => line.close());
      const responses = recordResponses(slack);
      closers.push(async () => responses.stop());

      const appEnv = benchAppEnv(database.url, line.url, slack.url);
      const app = await startChild('./app-process.ts', {
        ...appEnv,
        BENCH_START_WORKER: '1',
        ...(process.env.STATS_TIMEOUT_MS ? { STATS_TIMEOUT_MS: process.env.STATS_TIMEOUT_MS } : {}),
        ...(process.env.OUTBOX_CONCURRENCY ? { OUTBOX_CONCURRENCY: process.env.OUTBOX_CONCURRENCY } : {}),
        ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
        ...(process.env.STATS_BUSY_PERCENT ? { STATS_BUSY_PERCENT: process.env.STATS_BUSY_PERCENT } : {}),
      });
      children.push(app);
      const pid = app.process.pid ?? -1;
      const appGone = () =>
        app.process.exitCode !== null || app.process.signalCode !== null
          ? `the app exited (code ${app.process.exitCode}, signal ${app.process.signalCode})`
          : null;
      app.process.once('exit', () => responses.giveUp());
      const rss = rssSampler(pid);
      closers.push(async () => rss.stop());
      const poller = childPoller(app, () => rss.current());
      stopPoller = () => poller.stop();

      // --- seed (the app has migrated and written its manager) ---
      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      closers.push(() => sql.end({ timeout: 5 }));
      rss.phase('seed');
      const seedStarted = performance.now();
      const seeded = await seedStats(sql, { reps: opts.reps, leads: opts.leads, days: opts.days });
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      log(
        `stats: seeded in ${fmt(seedSeconds)} s: ${seeded.staff} staff, ${fmtInt(seeded.leads)} leads, ${fmtInt(seeded.touches)} touches, ${fmtInt(seeded.history)} history rows, ${fmtInt(seeded.stepSends)} step sends (${Object.entries(
          seeded.seconds,
        )
          .map(([k, v]) => `${k} ${fmt(v)} s`)
          .join(', ')})`,
      );

      // --- the same inputs as the app: its config, settings and calendar ---
      const config = readConfig(appEnv);
      const settings = await loadFollowUpSettings(config.SETTINGS_FILE);
      const policy: FollowUpPolicy = {
        settings,
        calendar: businessCalendarOf(config),
        neglectDays: config.NEGLECT_DAYS ?? settings.neglectDays,
        escalationMinutes: config.ESCALATION_MINUTES,
        escalationReminderMinutes: config.ESCALATION_REMINDER_MINUTES,
      };
      const now = new Date();
      const parsed = parsePeriod(opts.period, localDate(now, config.BUSINESS_TIMEZONE));
      if (parsed.kind !== 'period') throw new Error(`BENCH_STATS_PERIOD "${opts.period}" is not a period`);
      const period = parsed.period;
      const parentDb = await openDatabase({ url: database.url, poolMax: 2, statsTimeoutMs: 600_000 });
      closers.push(() => parentDb.close());
      const store = createStore(parentDb.db);
      const activeReps = (await store.staff.listActive())
        .filter((s) => s.role === 'rep')
        .map((s) => s.slackUserId);
      const mondays = trendMondays(period);
      const repsAsked = Array.from({ length: opts.repCommands }, (_, i) =>
        repId(Math.floor((i * opts.reps) / Math.max(1, opts.repCommands))),
      );
      const rawInputs = (owner: string | null) => {
        const scope = statsScope(policy, period, owner, now);
        const reps = owner === null ? activeReps : null;
        return {
          scope,
          reps,
          statements: rawStatements({
            scope,
            mondays,
            reps,
            segmentBounds: segmentUpperBounds(scope.ranking.today),
          }),
        };
      };
      const team = rawInputs(null);
      const perRep = new Map(repsAsked.map((rep) => [rep, rawInputs(rep)]));
      // The statistics connections' budget: their count, and parallel query as the app sets it on
      // them (read from a statistics connection of the parent's own openDatabase).
      const parallel = rowsOf<{ max_parallel_workers_per_gather: string }>(
        await parentDb.stats.execute(drizzleSql`show max_parallel_workers_per_gather`),
      )[0]?.max_parallel_workers_per_gather;
      const anchorSql = postgres(database.url, {
        max: STATS_POOL_MAX,
        onnotice: () => {},
        ...(parallel === undefined ? {} : { connection: { max_parallel_workers_per_gather: parallel } }),
      });
      const budget = `${STATS_POOL_MAX} connection${STATS_POOL_MAX === 1 ? '' : 's'}, max_parallel_workers_per_gather ${parallel ?? '?'}`;
      closers.push(() => anchorSql.end({ timeout: 5 }));
      const runRaw = (inputs: ReturnType<typeof rawInputs>) =>
        rawReport(anchorSql, inputs.statements, inputs.scope, inputs.reps, mondays);

      // --- check: the app's figures (its code, in this process) equal the raw SQL's ---
      rss.phase('check');
      const appDeps = {
        store,
        clock: { now: () => now },
        policy,
        stats: statsRepository(parentDb.stats),
        quotaUsage: async () => ({ limit: null, used: 0 }),
      };
      const checkRep = repsAsked[0] ?? repId(0);
      const checks: string[] = [];
      let checkTeamReport: StatsReport | undefined;
      for (const owner of [null, checkRep]) {
        const appReport = await buildStatsReport(appDeps, period, owner);
        if (owner === null) checkTeamReport = appReport;
        const raw = await runRaw(owner === null ? team : (perRep.get(owner) ?? rawInputs(owner)));
        const differences = figureDifferences(appFigures(appReport), raw);
        const who = owner === null ? 'team' : `@${owner}`;
        checks.push(
          differences.length === 0
            ? `figures check (${who}): the app's report and the raw SQL agree on every figure (${fmtInt(appReport.speed.inHours.opened + appReport.speed.outOfHours.opened)} conversations opened, ${fmtInt(appReport.activity.touches)} touches)`
            : `WARNING figures check (${who}): ${differences.length} figures differ between the app and the raw SQL: ${differences.slice(0, 5).join('; ')}`,
        );
      }
      for (const check of checks) log(`stats: ${check}`);

      // --- warm-up (not measured): one command, its answer compared with the report above ---
      rss.phase('warm-up');
      const sender = await startSender();
      closers.push(() => sender.stop());
      const [warm] = (await sendCommands(
        sender,
        app.url,
        slack,
        responses,
        [{ label: 'warm', text: `stats ${opts.period}` }],
        120_000,
      )) as [CommandRun];
      let answerCheck: string;
      if (!answered(warm)) {
        answerCheck = `WARNING the warm-up command got no numbers: ack ${warm.ackStatus} "${warm.ackText}", answer ${JSON.stringify(warm.answer)?.slice(0, 200)}`;
      } else if (checkTeamReport) {
        const t = catalog(config.LOCALE);
        const expected = statsMessage(
          checkTeamReport,
          {
            t,
            timezone: config.BUSINESS_TIMEZONE,
            locale: config.LOCALE,
            now: () => new Date(),
            command: config.SLACK_COMMAND,
          },
          { chartsNote: t.stats.chartsFollow },
        );
        answerCheck =
          JSON.stringify(expected.blocks) === JSON.stringify(warm.answer?.blocks)
            ? 'answer check: the command answered with the same blocks as the checked report'
            : 'WARNING answer check: the command answered with other blocks than the checked report';
      } else answerCheck = 'answer check: skipped';
      log(
        `stats: ${answerCheck} (warm-up: ack ${fmt(warm.ackMs, 0)} ms, answer ${fmt(warm.answerMs ?? Number.NaN, 0)} ms)`,
      );
      await outboxDrained(sql);

      const leadIds = (await sql<{ id: string }[]>`select id from leads order by id limit 5000`).map(
        (r) => r.id,
      );

      // Each phase starts with an empty fake Slack: its recorded calls and messages would
      // otherwise grow by tens of thousands a phase, and the later phases' load generator would
      // do more work per row (garbage collection over a larger heap) than the first's.
      const freshSlack = () => slack.reset();

      // --- outbox with the app otherwise idle ---
      freshSlack();
      rss.phase('outbox idle');
      log(
        `stats: outbox alone for ${opts.outboxIdleSeconds} s (${opts.outboxRows} slack.alert rows topped up at half)...`,
      );
      const idleFeed = await outboxFeed(sql, opts.outboxRows, leadIds, 'idle');
      // Time is the subject: the outbox rate alone is measured over a fixed window.
      await sleep(opts.outboxIdleSeconds * 1000);
      const outboxIdle = await idleFeed.stop();
      await outboxDrained(sql);

      // --- anchor: the raw SQL, 20 + 20 reports at once on the statistics budget, the outbox kept busy ---
      freshSlack();
      rss.phase('anchor');
      log(`stats: anchor, ${commands} raw SQL reports at once (${budget})...`);
      const anchorFeed = await outboxFeed(sql, opts.outboxRows, leadIds, 'anchor');
      const anchorStarted = performance.now();
      const anchorTimes = await Promise.all(
        [
          ...Array.from({ length: opts.teamCommands }, () => team),
          ...repsAsked.map((rep) => perRep.get(rep) ?? team),
        ].map(async (inputs) => {
          await runRaw(inputs);
          return performance.now() - anchorStarted;
        }),
      );
      const anchorWallMs = performance.now() - anchorStarted;
      const outboxDuringAnchor = await anchorFeed.stop();
      await outboxDrained(sql);

      // --- subject: 20 + 20 commands at once, the outbox kept busy ---
      freshSlack();
      rss.phase('stats');
      log(`stats: ${commands} commands at once, the outbox kept busy...`);
      const subjectFeed = await outboxFeed(sql, opts.outboxRows, leadIds, 'stats');
      const cpu = cpuWindow();
      const subjectStarted = performance.now();
      const runs = await sendCommands(
        sender,
        app.url,
        slack,
        responses,
        [
          ...Array.from({ length: opts.teamCommands }, (_, i) => ({
            label: `team${i}`,
            text: `stats ${opts.period}`,
          })),
          ...repsAsked.map((rep, i) => ({ label: `rep${i}`, text: `stats ${opts.period} <@${rep}>` })),
        ],
        opts.timeoutSeconds * 1000,
      );
      const subjectWallMs = performance.now() - subjectStarted;
      const subjectEnded = performance.now();
      const machine = cpu.stop();
      const outboxDuringStats = await subjectFeed.stop();
      const gone = appGone();
      if (gone) throw new Error(`${gone} during the commands (peak RSS ${fmt(rss.hwmMb(), 0)} MB)`);

      // The charts: each command's first chart row is written after its answer; all go out in order.
      rss.phase('charts');
      const charts = await waitUntil('stats charts delivered', 300_000, async () => {
        const [row] = await sql<{ open: number; done: number; failed: number }[]>`
          select count(*) filter (where status in ('pending', 'processing'))::int as open,
                 count(*) filter (where status = 'done')::int as done,
                 count(*) filter (where status = 'failed')::int as failed
          from outbox where kind = 'slack.stats_chart'`;
        return { done: row?.open === 0, value: row ?? { open: -1, done: 0, failed: 0 } };
      });
      const chartsSeconds = (performance.now() - subjectStarted) / 1000;
      const uploads = slack.uploads.filter((u) => u.completed).length;
      await outboxDrained(sql);
      await poller.stop();
      const childCpu = poller.window(subjectStarted, subjectEnded);
      const memory = poller.highestByPhase();
      const mb = (bytes: number | undefined) => fmt((bytes ?? Number.NaN) / 1024 / 1024, 0);
      const hwmMb = rss.hwmMb();
      const statsPeakMb = Math.max(rss.peakMb('stats'), rss.peakMb('charts'));

      if (opts.explain) {
        await explainSlow(database.url, team.scope, period, activeReps);
        await explainSlow(database.url, (perRep.get(checkRep) ?? team).scope, period, null);
      }

      // --- figures ---
      const acks = summarize(runs.map((r) => r.ackMs));
      const good = runs.filter(answered);
      const failed = runs.filter((r) => !answered(r));
      const answerTimes = good.map((r) => r.answerMs as number);
      const answers = summarize(answerTimes);
      const sortedAnswers = Float64Array.from(answerTimes).sort();
      const answerP95 = good.length === runs.length ? percentile(sortedAnswers, 95) : Number.NaN;
      const anchorSorted = Float64Array.from(anchorTimes).sort();
      const anchorP95 = percentile(anchorSorted, 95);
      const anchor = summarize(anchorTimes);
      const ratio = answerP95 / anchorP95;
      const share = outboxDuringStats.perSecond / outboxIdle.perSecond;
      const byKind = (prefix: string) =>
        summarize(good.filter((r) => r.label.startsWith(prefix)).map((r) => r.answerMs as number));
      const teamAnswers = byKind('team');
      const repAnswers = byKind('rep');
      const ackBad = runs.filter(
        (r) => r.ackStatus !== 200 || r.ackText !== catalog(config.LOCALE).stats.working,
      );
      const seconds = subjectWallMs / 1000;

      const lines = [
        `app in a child process on PostgreSQL (node flags of npm start), outbox worker started, statistics connections: ${budget}, STATS_TIMEOUT_MS ${config.STATS_TIMEOUT_MS}; fake Slack and fake LINE in the parent (one clock)`,
        `seeded in ${fmt(seedSeconds)} s: ${opts.reps} reps + a manager, ${fmtInt(seeded.leads)} leads, ${fmtInt(seeded.touches)} touches, ${fmtInt(seeded.history)} lead_history rows, ${fmtInt(seeded.stepSends)} step sends over ${opts.days} days; period ${opts.period} (${period.firstDay}..${period.lastDay})`,
        ...checks,
        answerCheck,
        `ack (command -> HTTP answer 集計中…):        p50 ${fmt(acks.p50).padStart(7)}   p99 ${fmt(acks.p99).padStart(7)}   max ${fmt(acks.max).padStart(7)} ms   (Slack's deadline ${SLACK_ACK_DEADLINE_MS} ms; ${ackBad.length} acks not 200 集計中…)`,
        `full answer (command -> response_url post):  p50 ${fmt(answers.p50, 0).padStart(7)}   p95 ${fmt(answerP95, 0).padStart(7)}   max ${fmt(answers.max, 0).padStart(7)} ms   (${good.length} of ${runs.length} answered with the numbers; last after ${fmt(seconds)} s)`,
        `  team reports p50 ${fmt(teamAnswers.p50, 0)} ms, max ${fmt(teamAnswers.max, 0)} ms; @rep reports p50 ${fmt(repAnswers.p50, 0)} ms, max ${fmt(repAnswers.max, 0)} ms`,
        `anchor: raw SQL reports (${commands} at once, ${budget}): p50 ${fmt(anchor.p50, 0)}   p95 ${fmt(anchorP95, 0)}   max ${fmt(anchor.max, 0)} ms (all done after ${fmt(anchorWallMs / 1000)} s)`,
        `charts: ${charts.done} chart rows done (the warm-up's and the commands'), ${charts.failed} failed, ${uploads} PNG uploads completed during the commands, the last ${fmt(chartsSeconds)} s after the commands were sent`,
        `outbox (slack.alert to the fake Slack, ${opts.outboxRows} rows topped up at half): alone ${fmt(outboxIdle.perSecond, 0)} rows/s (${fmtInt(outboxIdle.rows)} in ${fmt(outboxIdle.seconds)} s); during the raw SQL anchor ${fmt(outboxDuringAnchor.perSecond, 0)} rows/s; during the commands ${fmt(outboxDuringStats.perSecond, 0)} rows/s (${fmtInt(outboxDuringStats.rows)} in ${fmt(outboxDuringStats.seconds)} s)`,
        `app peak RSS: ${fmt(hwmMb, 0)} MB (VmHWM, whole life); highest sample during the commands and charts ${fmt(statsPeakMb, 0)} MB (${fmt((rss.highest()?.anonKb ?? Number.NaN) / 1024, 0)} MB private + ${fmt((rss.highest()?.fileKb ?? Number.NaN) / 1024, 0)} MB mapped files at the highest sample); highest sample per phase (MB): ${rss.byPhase()}`,
        `  process.memoryUsage() at each phase's highest RSS (MB, rss / V8 heap used of total / external): ${[
          ...memory,
        ]
          .map(
            ([phase, m]) =>
              `${phase} ${mb(m.rss)} / ${mb(m.heapUsed)} of ${mb(m.heapTotal)} / ${mb(m.external)}`,
          )
          .join('; ')}`,
        describeCpu(machine, {
          cores: childCpu.cores,
          elu: childCpu.elu,
        }),
      ];
      if (failed.length > 0)
        lines.push(
          `failed commands: ${failed
            .slice(0, 5)
            .map(
              (r) =>
                `${r.label}: ${r.answer ? JSON.stringify(r.answer.text ?? r.answer).slice(0, 120) : 'no answer'}`,
            )
            .join('; ')}`,
        );

      const goals: Goal[] = [
        {
          label: `stats ack p99 <= ${GOALS.ackP99Ms} ms`,
          detail: `p99 ${fmt(acks.p99)} ms, p50 ${fmt(acks.p50)} ms (${fmt((acks.p99 / SLACK_ACK_DEADLINE_MS) * 100)}% of Slack's ${SLACK_ACK_DEADLINE_MS} ms)`,
          short: `p99 ${fmt(acks.p99)} ms (p50 ${fmt(acks.p50)})`,
          pass: acks.p99 <= GOALS.ackP99Ms && ackBad.length === 0,
        },
        {
          label: `stats full answer p95 <= ${GOALS.answerRatio}x the raw SQL`,
          detail: `p95 ${fmt(answerP95, 0)} ms vs raw SQL p95 ${fmt(anchorP95, 0)} ms = ${fmt(ratio, 2)}x`,
          short: `${fmt(ratio, 2)}x (${fmt(answerP95 / 1000)} s / ${fmt(anchorP95 / 1000)} s)`,
          pass: ratio <= GOALS.answerRatio,
        },
        {
          label: `stats: every command answered with the numbers`,
          detail: `${good.length} of ${runs.length}; charts: ${charts.done} done, ${charts.failed} failed`,
          short: `${good.length}/${runs.length}, ${charts.failed} charts failed`,
          pass: good.length === runs.length && charts.failed === 0 && charts.done >= 2 * runs.length,
        },
        {
          label: `outbox rate during stats >= ${GOALS.outboxShare * 100}% of alone`,
          detail: `${fmt(outboxDuringStats.perSecond, 0)} / ${fmt(outboxIdle.perSecond, 0)} rows/s = ${fmt(share * 100, 0)}%`,
          short: `${fmt(share * 100, 0)}% (${fmt(outboxDuringStats.perSecond, 0)} / ${fmt(outboxIdle.perSecond, 0)} rows/s)`,
          pass: share >= GOALS.outboxShare,
        },
        {
          label: `stats: app peak RSS < ${GOALS.rssMb} MB`,
          detail: `${fmt(hwmMb, 0)} MB (VmHWM)`,
          short: `${fmt(hwmMb, 0)} MB`,
          pass: hwmMb < GOALS.rssMb,
        },
      ];
      return {
        name: `stats (${commands} /tsuikyaku stats at once, ${fmtInt(seeded.leads)} leads, ${fmtInt(seeded.touches)} touches)`,
        lines,
        goals,
        data: {
          options: opts,
          seeded,
          seedSeconds,
          period,
          checks,
          answerCheck,
          acks,
          answers: { ...answers, p95: answerP95 },
          teamAnswers,
          repAnswers,
          anchor: { ...anchor, p95: anchorP95, wallMs: anchorWallMs },
          ratio,
          subjectWallMs,
          charts: { ...charts, uploads, seconds: chartsSeconds },
          outbox: {
            idle: outboxIdle,
            duringAnchor: outboxDuringAnchor,
            duringStats: outboxDuringStats,
            share,
          },
          rss: {
            hwmMb,
            statsPeakMb,
            highest: rss.highest(),
            byPhase: rss.byPhase(),
            memoryUsage: Object.fromEntries(memory),
          },
          failed: failed.map((r) => ({ label: r.label, ackMs: r.ackMs, answer: r.answer })),
        },
      };
    });
  } finally {
    await stopPoller();
    await Promise.allSettled(children.map((child) => child.stop()));
    for (const close of closers.reverse()) await close().catch(() => {});
    await database
      .drop()
      .catch((error: unknown) => log(`stats: could not drop ${database.name}: ${String(error)}`));
  }
}

if (import.meta.main) {
  const result = await runStatsBench();
  printResult(result);
  process.exitCode = result.goals.every((goal) => goal.pass) ? 0 : 1;
}

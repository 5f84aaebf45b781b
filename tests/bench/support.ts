// Shared plumbing for the benchmarks: private databases, child processes, timing and reporting.
// Everything here talks to 127.0.0.1 only.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import postgres from 'postgres';

export const LINE_SECRET = 'bench-line-channel-secret';
export const LINE_TOKEN = 'bench-line-access-token';
export const SLACK_SECRET = 'bench-slack-signing-secret';
export const SLACK_TOKEN = 'xoxb-bench-token';
export const TEAM_CHANNEL = 'C0BENCHTEAM';
/** A port nothing listens on: the ingest benchmark never starts the worker, so no call goes out. */
export const UNUSED_URL = 'http://127.0.0.1:9';
/** The manager the benchmarks' apps know from the first start. */
export const BENCH_ADMIN = 'U0BENCHADMIN';

/** The environment of a benchmark's app: its database, and LINE and Slack at the given (fake) URLs. */
export function benchAppEnv(databaseUrl: string, lineUrl: string, slackUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    LINE_CHANNEL_SECRET: LINE_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
    LINE_API_BASE_URL: lineUrl,
    LINE_DATA_API_BASE_URL: lineUrl,
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_API_URL: slackUrl,
    SLACK_TEAM_CHANNEL: TEAM_CHANNEL,
    SLACK_ADMIN_USER_IDS: BENCH_ADMIN,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function envNumber(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`${name} must be a number >= ${min}, got "${raw}"`);
  return value;
}

export const baseDatabaseUrl = () =>
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A line LINE would accept as a user id (`^U[0-9a-f]{32}$`), fixed per index so runs are comparable. */
export function benchLineUserId(prefix: string, i: number): string {
  return `U${prefix}${i.toString(16).padStart(32 - prefix.length, '0')}`;
}

// ---- databases ------------------------------------------------------------------------------

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** `create database tsuikyaku_bench_<random>` on the bench server; drop() removes it with (force). */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const base = baseDatabaseUrl();
  const name = `tsuikyaku_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    drop() {
      dropped ??= (async () => {
        const cleanup = postgres(base, { max: 1, onnotice: () => {}, connect_timeout: 10 });
        try {
          await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
        } finally {
          await cleanup.end({ timeout: 5 });
        }
      })();
      return dropped;
    },
  };
}

// ---- child processes ------------------------------------------------------------------------

export interface ChildStats {
  /** Microseconds of CPU (user + system) since the child started. */
  cpuMicros: number;
  /** Event-loop utilisation since the previous stats call (0..1). */
  elu: number;
  /** process.memoryUsage() in bytes at the call (rss, V8 heap, external and array buffers). */
  memory?: Pick<NodeJS.MemoryUsage, 'rss' | 'heapTotal' | 'heapUsed' | 'external' | 'arrayBuffers'>;
}

export interface BenchChild {
  url: string;
  process: ChildProcess;
  /** CPU used and event-loop utilisation since the previous call. */
  stats(): Promise<ChildStats>;
  /** Asks the child to close cleanly, then kills it if it has not gone after a grace period. */
  stop(): Promise<void>;
}

const liveChildren = new Set<ChildProcess>();

function killAll(): void {
  for (const child of liveChildren) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

type ChildMessage =
  | { type: 'ready'; url: string }
  | ({ type: 'stats' } & ChildStats)
  | { type: 'error'; message: string };

/**
 * Forks a server entry file (app-process.ts or bare-route-process.ts) with only the environment
 * given here (no .env), and waits for it to report the URL it listens on.
 */
export async function startChild(entry: string, env: Record<string, string>, timeoutMs = 60_000) {
  const child = fork(new URL(entry, import.meta.url), [], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.BENCH_CHILD_LOG_LEVEL ?? 'silent',
      ...env,
    },
    execArgv: serviceNodeFlags(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  liveChildren.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => liveChildren.delete(child));

  let pendingStats: ((stats: ChildStats) => void) | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.url);
      } else if (message.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`${entry} failed: ${message.message}`));
      } else if (message.type === 'stats') {
        pendingStats?.({ cpuMicros: message.cpuMicros, elu: message.elu, memory: message.memory });
        pendingStats = undefined;
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited before it was ready (code ${code}, signal ${signal})`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  const handle: BenchChild = {
    url,
    process: child,
    stats() {
      return new Promise<ChildStats>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('child did not answer the stats request')), 5000);
        pendingStats = (stats) => {
          clearTimeout(timer);
          resolve(stats);
        };
        // With a callback a closed channel (the child died) rejects here instead of emitting an
        // 'error' event nobody listens to, which would end the benchmark process.
        child.send({ type: 'stats' }, (error) => {
          if (!error) return;
          clearTimeout(timer);
          pendingStats = undefined;
          reject(error);
        });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'close' });
      const graceful = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!graceful) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  return handle;
}

/** Runs `fn`, rejecting if it takes longer than `ms`, so every benchmark is bounded in time. */
export async function withDeadline<T>(label: string, ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${label} exceeded its time limit of ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([fn(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- machine CPU ----------------------------------------------------------------------------

export interface CpuFigures {
  /** Busy share of all cores over the window, 0..1. */
  machineBusy: number;
  cores: number;
  /** Cores' worth of CPU used by this process (the load generator) and by PostgreSQL processes. */
  parentCores: number;
  /** Undefined where /proc is not available. */
  postgresCores: number | undefined;
}

/** CPU ticks (user + system) of every process named postgres, from /proc; undefined off Linux. */
function postgresTicks(): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks;
}

/** Linux reports /proc CPU times in USER_HZ ticks, 100 per second on every mainstream build. */
const TICKS_PER_SECOND = 100;

/** Measures whole-machine, this-process and PostgreSQL CPU over a window. */
export function cpuWindow(): { stop(): CpuFigures } {
  const totals = () =>
    cpus().reduce(
      (acc, cpu) => {
        const t = cpu.times;
        acc.busy += t.user + t.nice + t.sys + t.irq;
        acc.all += t.user + t.nice + t.sys + t.irq + t.idle;
        return acc;
      },
      { busy: 0, all: 0 },
    );
  const start = totals();
  const startParent = process.cpuUsage();
  const startPostgres = postgresTicks();
  const startedAt = performance.now();
  return {
    stop() {
      const end = totals();
      const parent = process.cpuUsage(startParent);
      const endPostgres = postgresTicks();
      const wallSeconds = (performance.now() - startedAt) / 1000;
      return {
        machineBusy: (end.busy - start.busy) / Math.max(1, end.all - start.all),
        cores: cpus().length,
        parentCores: (parent.user + parent.system) / 1e6 / wallSeconds,
        postgresCores:
          startPostgres === undefined || endPostgres === undefined
            ? undefined
            : (endPostgres - startPostgres) / TICKS_PER_SECOND / wallSeconds,
      };
    },
  };
}

/** "machine 97% busy of 2 CPUs: generator 0.45, server 0.71, PostgreSQL 0.60, other processes 0.20 cores". */
export function describeCpu(cpu: CpuFigures, server?: { cores: number; elu: number }): string {
  const used = cpu.machineBusy * cpu.cores;
  const parts = [`load generator ${fmt(cpu.parentCores, 2)}`];
  if (server) parts.push(`server ${fmt(server.cores, 2)} (event loop ${fmt(server.elu * 100, 0)}% busy)`);
  if (cpu.postgresCores !== undefined) {
    parts.push(`PostgreSQL ${fmt(cpu.postgresCores, 2)}`);
    const other = used - cpu.parentCores - (server?.cores ?? 0) - cpu.postgresCores;
    parts.push(`other processes ${fmt(Math.max(0, other), 2)}`);
  }
  return `cpu: machine ${fmt(cpu.machineBusy * 100, 0)}% busy of ${cpu.cores} CPUs; cores used: ${parts.join(', ')}`;
}

// ---- statistics and reporting ---------------------------------------------------------------

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

export interface Goal {
  label: string;
  /** e.g. "412 req/s = 31.2% of the bare route (goal >= 25%)". */
  detail: string;
  /** The figure against its goal, for the summary table (defaults to detail). */
  short?: string;
  pass: boolean;
}

export interface BenchResult {
  name: string;
  /** The figures and anchors, already formatted, in print order. */
  lines: string[];
  goals: Goal[];
  /** Raw numbers for the JSON record under tests/bench/out/. */
  data: Record<string, unknown>;
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** Prints a benchmark's figures and its goals as they come in. */
export function printResult(result: BenchResult): void {
  log('');
  log(`== ${result.name} ==`);
  for (const line of result.lines) log(`  ${line}`);
  for (const goal of result.goals) log(`  [${verdict(goal.pass)}] ${goal.label}: ${goal.detail}`);
}

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  const line = (row: string[]) => row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ');
  const [head, ...body] = rows;
  return [line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/**
 * The Node flags `npm start` runs the service with (memory limits), so that benchmarks measure the
 * service as deployed; BENCH_CHILD_EXECARGV adds more (for example --cpu-prof).
 */
export function serviceNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const flags = pkg.scripts.start
    .split(/\s+/)
    .filter((t) => t.startsWith('--') && !t.startsWith('--env-file'));
  const extra = process.env.BENCH_CHILD_EXECARGV?.split(' ').filter(Boolean) ?? [];
  return [...flags, ...extra];
}

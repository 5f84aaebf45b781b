// `npm run bench`: the ingest, relay-latency, digest, step-dispatch and stats benchmarks in sequence, each printed with its
// anchors (measured in this run, on this machine) and PASS/MISS per goal, then a summary table.
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test); each
// benchmark creates a private database and drops it at the end. See tests/bench/README.md.
// Exit code: 0 when every goal passes, 1 when a goal is missed or a benchmark fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { runDigestBench } from './digest.ts';
import { ingestOptionsFromEnv, runIngestBench } from './ingest.ts';
import { relayOptionsFromEnv, runRelayBench } from './relay-latency.ts';
import { runStatsBench, statsOptionsFromEnv } from './stats.ts';
import { runStepDispatchBench, stepDispatchOptionsFromEnv } from './step-dispatch.ts';
import { type BenchResult, baseDatabaseUrl, log, printResult, table, verdict } from './support.ts';

const benchmarks: Array<{ name: string; run: () => Promise<BenchResult> }> = [
  { name: 'ingest', run: () => runIngestBench(ingestOptionsFromEnv()) },
  { name: 'relay latency', run: () => runRelayBench(relayOptionsFromEnv()) },
  { name: 'digest', run: () => runDigestBench() },
  { name: 'steps dispatch', run: () => runStepDispatchBench(stepDispatchOptionsFromEnv()) },
  { name: 'stats', run: () => runStatsBench(statsOptionsFromEnv()) },
];

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const startedAt = new Date();
log(`tsuikyaku benchmarks, ${startedAt.toISOString()}`);
log(
  `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}; PostgreSQL ${new URL(baseDatabaseUrl()).host}`,
);

const results: BenchResult[] = [];
const failures: Array<{ name: string; error: string }> = [];
for (const benchmark of benchmarks) {
  if (only && !only.includes(benchmark.name.split(' ')[0] as string)) continue;
  try {
    const result = await benchmark.run();
    printResult(result);
    results.push(result);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`\n== ${benchmark.name} FAILED ==\n${message}`);
    failures.push({ name: benchmark.name, error: message });
  }
}

log('\n== summary ==');
const rows = [['benchmark', 'goal', 'result', 'figures']];
for (const result of results) {
  for (const goal of result.goals)
    rows.push([result.name.split(' (')[0] ?? '', goal.label, verdict(goal.pass), goal.short ?? goal.detail]);
}
for (const failure of failures)
  rows.push([failure.name, '(run)', 'FAIL', failure.error.split('\n')[0] ?? '']);
log(table(rows));

const allPassed = failures.length === 0 && results.every((result) => result.goals.every((goal) => goal.pass));
log(`\n${allPassed ? 'all goals met' : 'some goals missed or a benchmark failed'}`);

try {
  const outDir = new URL('./out/', import.meta.url);
  mkdirSync(outDir, { recursive: true });
  const file = new URL(`bench-${startedAt.toISOString().replaceAll(':', '-')}.json`, outDir);
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt, node: process.version, cpus: cpus().length, results, failures }, null, 2)}\n`,
  );
  log(`raw figures: ${file.pathname}`);
} catch (error) {
  log(`could not write the raw figures: ${String(error)}`);
}
process.exitCode = allPassed ? 0 : 1;

// Ingest benchmark: signed one-event LINE webhooks (a text message from one of the pre-created
// leads, a fresh webhookEventId and its own x-line-signature per request), 50 connections, against
// the real app in a child process on PostgreSQL, outbox worker NOT started.
// Anchors, same run, same load: (a) a bare Fastify route that only parses the JSON body, (b) a plain
// postgres.js loop running the statements the ingest runs, one transaction per event.
// Run alone: node tests/bench/ingest.ts (or everything: npm run bench).
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import postgres from 'postgres';
import {
  followEvent,
  madeUpReplyTokens,
  signLineBody,
  textMessageEvent,
  webhookBody,
} from '../../adapters/line/fake/line-webhook-events.ts';
import {
  type BenchChild,
  type BenchResult,
  benchAppEnv,
  benchLineUserId,
  type CpuFigures,
  cpuWindow,
  createBenchDatabase,
  describeCpu,
  envNumber,
  fmt,
  fmtInt,
  type Goal,
  type LatencySummary,
  LINE_SECRET,
  log,
  printResult,
  sleep,
  startChild,
  summarize,
  UNUSED_URL,
  withDeadline,
} from './support.ts';

export interface IngestOptions {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  leads: number;
  /**
   * Plain insert loop variants: postgres.js pool size, and whether statements are prepared (the
   * postgres.js default) or not (as drizzle sends them). The fastest variant is the anchor.
   */
  pgVariants: PlainLoopVariant[];
}

export interface PlainLoopVariant {
  pool: number;
  prepare: boolean;
}

/** "10,50" -> pools 10 and 50, prepared; a "u" suffix ("10u") runs that pool unprepared. */
export function parsePlainLoopVariants(raw: string): PlainLoopVariant[] {
  const variants = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const match = /^(\d+)(u?)$/.exec(item);
      if (!match || Number(match[1]) < 1)
        throw new Error(`BENCH_PG_VARIANTS: "${item}" is not a pool size like 10 or 10u`);
      return { pool: Number(match[1]), prepare: match[2] !== 'u' };
    });
  if (variants.length === 0) throw new Error('BENCH_PG_VARIANTS must name at least one pool size');
  return variants;
}

export function ingestOptionsFromEnv(): IngestOptions {
  return {
    seconds: envNumber('BENCH_INGEST_SECONDS', 20, 1),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2, 0),
    connections: envNumber('BENCH_INGEST_CONNECTIONS', 50, 1),
    leads: envNumber('BENCH_INGEST_LEADS', 1000, 1),
    pgVariants: parsePlainLoopVariants(process.env.BENCH_PG_VARIANTS ?? '10,50'),
  };
}

/** The app's postgres.js pool: openDatabase's default, which createService does not override. */
const APP_POOL_SIZE = 10;

interface Throughput {
  label: string;
  requests: number;
  seconds: number;
  rps: number;
  latency: LatencySummary;
  /** Non-200 answers by status, and transport failures. */
  failures: Record<string, number>;
  cpu: CpuFigures;
  server?: { cores: number; elu: number };
}

interface WebhookLoad extends Throughput {
  /** webhookEventIds answered 200. */
  acked: string[];
  /** Requests written but not answered when the run ended (the generator hung up on them). */
  unanswered: string[];
}

const sampleText = (n: number) => `お世話になっております。見積もりの件でご相談です (${n})`;

/** One signed webhook per request, built in setupRequest so every request is unique and valid. */
async function webhookLoad(
  label: string,
  target: BenchChild,
  userIds: string[],
  opts: { connections: number; seconds: number },
): Promise<WebhookLoad> {
  const latencies: number[] = [];
  const acked: string[] = [];
  const pending = new Set<string>();
  const failures: Record<string, number> = {};
  let seq = 0;
  const cpu = cpuWindow();
  const childBefore = await target.stats();
  const started = performance.now();
  const instance = autocannon({
    url: target.url,
    connections: opts.connections,
    pipelining: 1,
    duration: opts.seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/line',
        setupRequest(request, context) {
          seq += 1;
          const userId = userIds[Math.floor(Math.random() * userIds.length)] as string;
          const event = textMessageEvent(madeUpReplyTokens, userId, sampleText(seq));
          const raw = JSON.stringify(webhookBody([event]));
          context.id = event.webhookEventId;
          context.t0 = performance.now();
          pending.add(event.webhookEventId);
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              'x-line-signature': signLineBody(raw, LINE_SECRET),
            },
            body: raw,
          };
        },
        onResponse(status, _body, context) {
          latencies.push(performance.now() - (context.t0 as number));
          const id = context.id as string;
          pending.delete(id);
          if (status === 200) acked.push(id);
          else failures[String(status)] = (failures[String(status)] ?? 0) + 1;
        },
      },
    ],
  });
  const result = await instance;
  const seconds = (performance.now() - started) / 1000;
  const childAfter = await target.stats();
  const machine = cpu.stop();
  if (result.errors > 0) failures.errors = result.errors;
  if (result.timeouts > 0) failures.timeouts = result.timeouts;
  return {
    label,
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    latency: summarize(latencies),
    failures,
    acked,
    unanswered: [...pending],
    cpu: machine,
    server: { cores: (childAfter.cpuMicros - childBefore.cpuMicros) / (seconds * 1e6), elu: childAfter.elu },
  };
}

type Sql = postgres.Sql;

/**
 * The statements ingestLineEvents runs for a message from an existing lead (as of the issue-2 ingest,
 * commit 14df119), one transaction per event. If the ingest starts writing other rows, the run
 * prints a WARNING (rows written per event, app vs loop) and this must follow.
 */
async function ingestLikeTransaction(sql: Sql, userId: string, n: number): Promise<void> {
  const event = textMessageEvent(madeUpReplyTokens, userId, sampleText(n));
  const receivedAt = new Date();
  const sentAt = new Date(event.timestamp);
  // The rows the app writes for a known lead's message (src/use-cases/ingest-line-events.ts), one
  // statement after another: the event, a locking read of the lead, the message, its touch, the
  // lead's follow-up state, the relay's outbox row.
  await sql.begin(async (tx) => {
    const stored = await tx`
      insert into line_webhook_events (webhook_event_id, type, line_user_id, payload, event_at, received_at)
      values (${event.webhookEventId}, 'message', ${userId}, ${JSON.stringify(event)}::jsonb, ${sentAt}, ${receivedAt})
      on conflict (webhook_event_id) do nothing returning webhook_event_id`;
    if (stored.length === 0) return;
    const [lead] = await tx`select * from leads where line_user_id = ${userId} for update`;
    if (!lead) throw new Error(`no lead for ${userId}`);
    const content = { kind: 'text', text: event.message.text };
    const [message] = await tx`
      insert into messages (lead_id, direction, kind, text, payload, line_message_id, author_id,
        slack_channel_id, slack_ts, status, created_at)
      values (${lead.id}, 'inbound', 'text', ${content.text}, ${JSON.stringify(content)}::jsonb,
        ${event.message.id}, null, null, null, 'received', ${sentAt})
      returning *`;
    if (!message) throw new Error('message insert returned nothing');
    await tx`
      insert into touches (lead_id, channel, direction, outcome, note, author_id, message_id, at, created_at)
      values (${lead.id}, 'line', 'inbound', 'replied', null, null, ${message.id}, ${receivedAt}, ${receivedAt})
      on conflict (message_id) do nothing`;
    await tx`
      update leads set last_inbound_at = greatest(last_inbound_at, ${sentAt.toISOString()}::timestamptz),
        last_touch_at = ${receivedAt}, unanswered_attempts = 0,
        awaiting_reply_since = coalesce(awaiting_reply_since, ${receivedAt}), updated_at = ${receivedAt}
      where id = ${lead.id}`;
    await tx`
      insert into outbox (kind, order_key, payload, retry_key)
      values ('slack.relay', ${`lead:${lead.id}`},
        ${JSON.stringify({ kind: 'slack.relay', messageId: message.id, leadId: lead.id })}::jsonb, null)`;
  });
}

async function plainInsertLoop(
  url: string,
  userIds: string[],
  opts: PlainLoopVariant & { loops: number; seconds: number; warmupSeconds: number },
): Promise<Throughput> {
  const sql = postgres(url, { max: opts.pool, prepare: opts.prepare, onnotice: () => {} });
  let seq = 0;
  const failures: Record<string, number> = {};
  const run = async (seconds: number, latencies: number[] | undefined) => {
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: opts.loops }, async () => {
        while (performance.now() < end) {
          const userId = userIds[Math.floor(Math.random() * userIds.length)] as string;
          const t0 = performance.now();
          try {
            await ingestLikeTransaction(sql, userId, ++seq);
            latencies?.push(performance.now() - t0);
          } catch (error) {
            const key = error instanceof Error ? error.message.slice(0, 60) : String(error);
            failures[key] = (failures[key] ?? 0) + 1;
          }
        }
      }),
    );
  };
  try {
    if (opts.warmupSeconds > 0) await run(opts.warmupSeconds, undefined);
    const latencies: number[] = [];
    const cpu = cpuWindow();
    const started = performance.now();
    await run(opts.seconds, latencies);
    const seconds = (performance.now() - started) / 1000;
    return {
      label: `plain postgres.js loop (pool ${opts.pool}${opts.prepare ? '' : ', unprepared'})`,
      requests: latencies.length,
      seconds,
      rps: latencies.length / seconds,
      latency: summarize(latencies),
      failures,
      cpu: cpu.stop(),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function warmUp(target: BenchChild, userIds: string[], opts: IngestOptions): Promise<void> {
  if (opts.warmupSeconds <= 0) return;
  await webhookLoad('warm-up', target, userIds, {
    connections: opts.connections,
    seconds: opts.warmupSeconds,
  });
}

async function postFollows(url: string, userIds: string[], concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < userIds.length) {
        const userId = userIds[next++] as string;
        const raw = JSON.stringify(webhookBody([followEvent(madeUpReplyTokens, userId)]));
        const res = await fetch(`${url}/webhooks/line`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-line-signature': signLineBody(raw, LINE_SECRET) },
          body: raw,
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`follow for ${userId} answered ${res.status}`);
      }
    }),
  );
}

async function counts(sql: Sql) {
  // Each stored message must queue exactly one slack.relay row; other outbox rows are counted apart.
  const [row] = await sql<{ events: number; messages: number; relays: number; outbox: number }[]>`
    select (select count(*)::int from line_webhook_events) as events,
           (select count(*)::int from messages) as messages,
           (select count(*)::int from outbox where kind = 'slack.relay') as relays,
           (select count(*)::int from outbox) as outbox`;
  if (!row) throw new Error('count query returned nothing');
  return row;
}

type WriteCounters = Record<string, { ins: number; upd: number }>;

/** Cumulative rows inserted and updated per table, from PostgreSQL's statistics. */
async function writeCounters(sql: Sql): Promise<WriteCounters> {
  const rows = await sql<{ relname: string; ins: number; upd: number }[]>`
    select relname, n_tup_ins::float8 as ins, n_tup_upd::float8 as upd from pg_stat_user_tables`;
  return Object.fromEntries(rows.map((row) => [row.relname, { ins: row.ins, upd: row.upd }]));
}

/** Rows inserted/updated per stored webhook event between two snapshots, by table. */
function writesPerEvent(before: WriteCounters, after: WriteCounters): WriteCounters {
  const events =
    (after.line_webhook_events?.ins ?? 0) - (before.line_webhook_events?.ins ?? 0) ||
    Number.POSITIVE_INFINITY;
  const out: WriteCounters = {};
  for (const [table, end] of Object.entries(after)) {
    const start = before[table] ?? { ins: 0, upd: 0 };
    const ins = (end.ins - start.ins) / events;
    const upd = (end.upd - start.upd) / events;
    if (ins >= 0.005 || upd >= 0.005) out[table] = { ins, upd };
  }
  return out;
}

const describeWrites = (writes: WriteCounters) =>
  Object.entries(writes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([table, w]) =>
        `${table}${w.ins >= 0.005 ? ` +${fmt(w.ins, 2)}` : ''}${w.upd >= 0.005 ? ` ~${fmt(w.upd, 2)}` : ''}`,
    )
    .join(', ');

/** True when the app and the plain loop write the same rows per event (within rounding). */
function sameWrites(a: WriteCounters, b: WriteCounters): boolean {
  const tables = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...tables].every((table) => {
    const x = a[table] ?? { ins: 0, upd: 0 };
    const y = b[table] ?? { ins: 0, upd: 0 };
    // Outside business hours the app also queues one acknowledgement per lead and closed period:
    // a handful of extra outbox rows that depend on the time of day, not on the work per event.
    const tolerance = table === 'outbox' ? 0.2 : 0.05;
    return Math.abs(x.ins - y.ins) < tolerance && Math.abs(x.upd - y.upd) < 0.05;
  });
}

/** PostgreSQL publishes a backend's counters when it exits or at most once a second; let that happen. */
const statsSettled = () => sleep(1500);

/** Waits until the row count stops moving (requests the generator hung up on may still commit). */
async function settledCounts(sql: Sql) {
  let last = await counts(sql);
  for (let i = 0; i < 25; i++) {
    await sleep(200);
    const now = await counts(sql);
    if (now.events === last.events && now.messages === last.messages && now.outbox === last.outbox)
      return now;
    last = now;
  }
  return last;
}

const describeFailures = (failures: Record<string, number>) => {
  const entries = Object.entries(failures);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}: ${v}`).join(', ');
};

const throughputLine = (t: Throughput) =>
  `${t.label.padEnd(42)} ${fmtInt(t.rps).padStart(7)} req/s   p50 ${fmt(t.latency.p50).padStart(6)} ms   p99 ${fmt(t.latency.p99).padStart(6)} ms   (${fmtInt(t.requests)} in ${fmt(t.seconds)} s)`;

const cpuLine = (t: Throughput) => `  ${describeCpu(t.cpu, t.server)}`;

export async function runIngestBench(opts: IngestOptions = ingestOptionsFromEnv()): Promise<BenchResult> {
  const limitMs = (opts.warmupSeconds + opts.seconds) * (2 + opts.pgVariants.length) * 1000 + 240_000;
  const database = await createBenchDatabase();
  const children: BenchChild[] = [];
  const admin = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    return await withDeadline('ingest benchmark', limitMs, async () => {
      log(`ingest: database ${database.name}; ${opts.connections} connections, ${opts.seconds} s per target`);
      const userIds = Array.from({ length: opts.leads }, (_, i) => benchLineUserId('1', i));

      // --- subject: the real app, outbox worker not started ---
      const app = await startChild('./app-process.ts', {
        ...benchAppEnv(database.url, UNUSED_URL, UNUSED_URL),
        BENCH_START_WORKER: '0',
      });
      children.push(app);
      const followStarted = performance.now();
      await postFollows(app.url, userIds, 25);
      log(
        `ingest: ${fmtInt(userIds.length)} leads created by follow webhooks in ${fmt((performance.now() - followStarted) / 1000)} s`,
      );
      await warmUp(app, userIds, opts);
      const before = await settledCounts(admin);
      const appWritesBefore = await writeCounters(admin);
      log(`ingest: measuring the app (${opts.seconds} s)...`);
      const subject = await webhookLoad('app POST /webhooks/line', app, userIds, opts);
      const after = await settledCounts(admin);
      const cutOff = subject.unanswered;
      const [cutOffRow] = cutOff.length
        ? await admin<{ n: number }[]>`
            select count(*)::int as n from line_webhook_events where webhook_event_id = any(${cutOff})`
        : [{ n: 0 }];
      const [ackedRow] = await admin<{ n: number }[]>`
        select count(*)::int as n from line_webhook_events where webhook_event_id = any(${subject.acked})`;
      await app.stop();
      await statsSettled();
      const appWrites = writesPerEvent(appWritesBefore, await writeCounters(admin));

      // --- anchor (a): bare Fastify route ---
      const bare = await startChild('./bare-route-process.ts', {});
      children.push(bare);
      await warmUp(bare, userIds, opts);
      log(`ingest: measuring the bare Fastify route (${opts.seconds} s)...`);
      const bareRoute = await webhookLoad('bare Fastify route (parse JSON, 200)', bare, userIds, opts);
      await bare.stop();

      // --- anchor (b): plain postgres.js loop(s) ---
      const loops: Throughput[] = [];
      let loopWrites: WriteCounters | undefined;
      for (const variant of opts.pgVariants) {
        const loopWritesBefore = await writeCounters(admin);
        log(
          `ingest: measuring the plain postgres.js loop, pool ${variant.pool}${variant.prepare ? '' : ' unprepared'} (${opts.seconds} s)...`,
        );
        loops.push(
          await plainInsertLoop(database.url, userIds, {
            ...variant,
            loops: opts.connections,
            seconds: opts.seconds,
            warmupSeconds: opts.warmupSeconds,
          }),
        );
        if (!loopWrites) {
          await statsSettled();
          loopWrites = writesPerEvent(loopWritesBefore, await writeCounters(admin));
        }
      }
      const bestLoop = loops.reduce((best, t) => (t.rps > best.rps ? t : best));

      // --- correctness ---
      const added = {
        events: after.events - before.events,
        messages: after.messages - before.messages,
        relays: after.relays - before.relays,
        outbox: after.outbox - before.outbox,
      };
      const cutOffCommitted = cutOffRow?.n ?? 0;
      const expected = subject.acked.length + cutOffCommitted;
      const non2xx = Object.values(subject.failures).reduce((a, b) => a + b, 0);
      const rowsOk =
        added.events === expected &&
        added.messages === expected &&
        added.relays === expected &&
        (ackedRow?.n ?? -1) === subject.acked.length;

      const bareRatio = subject.rps / bareRoute.rps;
      const loopRatio = subject.rps / bestLoop.rps;
      const goals: Goal[] = [
        {
          label: 'ingest >= 25% of the bare route',
          detail: `${fmtInt(subject.rps)} / ${fmtInt(bareRoute.rps)} req/s = ${fmt(bareRatio * 100)}%`,
          short: `${fmt(bareRatio * 100)}% (${fmtInt(subject.rps)} vs ${fmtInt(bareRoute.rps)} req/s)`,
          pass: bareRatio >= 0.25,
        },
        {
          label: 'ingest >= 60% of the plain insert loop',
          detail: `${fmtInt(subject.rps)} / ${fmtInt(bestLoop.rps)} tx/s (${bestLoop.label}) = ${fmt(loopRatio * 100)}%`,
          short: `${fmt(loopRatio * 100)}% (${fmtInt(subject.rps)} vs ${fmtInt(bestLoop.rps)} tx/s)`,
          pass: loopRatio >= 0.6,
        },
        {
          label: 'ingest correctness: no non-2xx, every 200 stored once',
          detail:
            `${fmtInt(subject.acked.length)} x 200, non-2xx/errors: ${describeFailures(subject.failures)}; ` +
            `rows added: line_webhook_events ${fmtInt(added.events)}, messages ${fmtInt(added.messages)}, outbox slack.relay ${fmtInt(added.relays)}${added.outbox !== added.relays ? ` (+${fmtInt(added.outbox - added.relays)} other outbox rows)` : ''}` +
            (cutOff.length
              ? `; = 200s + ${cutOffCommitted} of the ${cutOff.length} requests in flight when the generator stopped (committed after it hung up)`
              : ''),
          short: `${fmtInt(subject.acked.length)} x 200, ${non2xx} failures, rows ${rowsOk ? 'match' : 'DO NOT match'}`,
          pass: non2xx === 0 && rowsOk,
        },
      ];
      const lines = [
        `machine: ${cpus().length} CPUs; PostgreSQL at ${new URL(database.url).host}; app pool ${APP_POOL_SIZE} connections; outbox worker NOT started (this measures ingest only)`,
        `${fmtInt(opts.leads)} pre-existing leads (created by follow webhooks); each request: 1 text message event, fresh webhookEventId, own x-line-signature; ${opts.connections} connections, ${opts.seconds} s, ${opts.warmupSeconds} s warm-up before each target`,
        throughputLine(subject),
        cpuLine(subject),
        throughputLine(bareRoute),
        cpuLine(bareRoute),
        ...loops.flatMap((t) => [throughputLine(t), cpuLine(t)]),
        `plain loop statements per event, one after another in one transaction: insert line_webhook_events on conflict do nothing returning; select lead for update; insert messages returning; insert touches; update leads (touch state, last_inbound_at); insert outbox`,
        `rows written per event (pg_stat_user_tables; +inserted ~updated): app ${describeWrites(appWrites)}; plain loop ${describeWrites(loopWrites ?? {})}`,
        ...(sameWrites(appWrites, loopWrites ?? {})
          ? []
          : [
              'WARNING: the app now writes more or other rows per event than the plain loop; update ingestLikeTransaction in tests/bench/ingest.ts so the anchor does the same work',
            ]),
      ];
      return {
        name: 'ingest (signed LINE webhooks -> PostgreSQL)',
        lines,
        goals,
        data: {
          options: opts,
          subject: { ...subject, acked: subject.acked.length, unanswered: cutOff.length, cutOffCommitted },
          bareRoute: { ...bareRoute, acked: bareRoute.acked.length, unanswered: bareRoute.unanswered.length },
          plainLoops: loops,
          added,
          writesPerEvent: { app: appWrites, plainLoop: loopWrites },
        },
      };
    });
  } finally {
    await admin.end({ timeout: 5 }).catch(() => {});
    await Promise.allSettled(children.map((child) => child.stop()));
    await database
      .drop()
      .catch((error: unknown) => log(`ingest: could not drop ${database.name}: ${String(error)}`));
  }
}

if (import.meta.main) {
  const result = await runIngestBench();
  printResult(result);
  process.exitCode = result.goals.every((goal) => goal.pass) ? 0 : 1;
}

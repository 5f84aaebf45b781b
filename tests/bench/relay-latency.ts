// Relay latency benchmark: the real app (child process, outbox worker started, PostgreSQL) relays
// lead messages to a fake Slack running in THIS process, so send and receive use one clock.
// 200 reps, 1000 leads (cards posted before measuring), then 20 signed lead messages per second for
// 60 s; latency = fake Slack received the chat.postMessage with text `bench-<n>` - webhook sent.
// Anchor, same run: the same chat.postMessage payload posted straight to the fake Slack with fetch.
// Run alone: node tests/bench/relay-latency.ts (or everything: npm run bench).
import { cpus } from 'node:os';
import postgres from 'postgres';
import { startFakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import {
  followEvent,
  signLineBody,
  textMessageEvent,
  webhookBody,
} from '../../adapters/line/fake/line-webhook-events.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import { openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import {
  type BenchChild,
  type BenchResult,
  benchAppEnv,
  benchLineUserId,
  cpuWindow,
  createBenchDatabase,
  describeCpu,
  envNumber,
  fmt,
  fmtInt,
  type Goal,
  type LatencySummary,
  LINE_SECRET,
  LINE_TOKEN,
  log,
  printResult,
  SLACK_TOKEN,
  sleep,
  startChild,
  summarize,
  withDeadline,
} from './support.ts';

export interface RelayOptions {
  seconds: number;
  anchorSeconds: number;
  ratePerSecond: number;
  reps: number;
  leads: number;
  stragglerSeconds: number;
  warmupTimeoutSeconds: number;
}

export function relayOptionsFromEnv(): RelayOptions {
  const seconds = envNumber('BENCH_RELAY_SECONDS', 60, 1);
  return {
    seconds,
    anchorSeconds: Math.min(seconds, 20),
    ratePerSecond: envNumber('BENCH_RELAY_RATE', 20, 1),
    reps: envNumber('BENCH_RELAY_REPS', 200, 1),
    leads: envNumber('BENCH_RELAY_LEADS', 1000, 1),
    stragglerSeconds: envNumber('BENCH_RELAY_STRAGGLER_SECONDS', 15, 0),
    warmupTimeoutSeconds: envNumber('BENCH_RELAY_WARMUP_TIMEOUT_SECONDS', 180, 1),
  };
}

/** Fake Slack chat.postMessage arrivals whose text is `<tag>-<n>`, by tag and n (perf clock, ms). */
export function recordArrivals(slack: FakeSlackApi) {
  const arrivals = new Map<string, number[]>();
  const stop = slack.onCall((call) => {
    // Runs synchronously right after the fake answered; the handling in between is microseconds.
    const at = performance.now();
    if (call.method !== 'chat.postMessage' || (call.response as { ok?: boolean } | undefined)?.ok !== true)
      return;
    const text = call.body.text;
    if (typeof text !== 'string' || !/^(bench|anchor|warm)-\d+$/.test(text)) return;
    const list = arrivals.get(text);
    if (list) list.push(at);
    else arrivals.set(text, [at]);
  });
  return { arrivals, stop };
}

export interface PacedRun {
  sent: number;
  latencies: number[];
  lost: number;
  duplicated: number;
  sendFailures: Record<string, number>;
  /** ms from the first send to the last: shows the pacing held. */
  spanMs: number;
  latency: LatencySummary;
  /** Send -> HTTP answer, and HTTP answer -> arrival at the fake Slack. */
  answered: LatencySummary;
  afterAnswer: LatencySummary;
}

/**
 * Fires `count` sends evenly paced at `rate`/s (absolute schedule, so a slow send does not delay
 * the next), each tagged `<tag>-<n>`, then waits for their arrival at the fake Slack.
 */
export async function pacedRun(
  tag: string,
  count: number,
  rate: number,
  arrivals: Map<string, number[]>,
  send: (text: string) => Promise<Response>,
  waitSeconds: number,
): Promise<PacedRun> {
  const intervalMs = 1000 / rate;
  const sentAt = new Map<string, number>();
  const answeredAt = new Map<string, number>();
  const sendFailures: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  const start = performance.now() + 20;
  for (let i = 0; i < count; i++) {
    const wait = start + i * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const text = `${tag}-${i}`;
    sentAt.set(text, performance.now());
    inFlight.push(
      send(text).then(
        async (res) => {
          answeredAt.set(text, performance.now());
          await res.arrayBuffer();
          if (res.status !== 200)
            sendFailures[String(res.status)] = (sendFailures[String(res.status)] ?? 0) + 1;
        },
        (error: unknown) => {
          const key = error instanceof Error ? error.message : String(error);
          sendFailures[key] = (sendFailures[key] ?? 0) + 1;
        },
      ),
    );
  }
  const spanMs = performance.now() - start;
  await Promise.all(inFlight);
  const deadline = performance.now() + waitSeconds * 1000;
  const allArrived = () => [...sentAt.keys()].every((text) => arrivals.has(text));
  while (!allArrived() && performance.now() < deadline) await sleep(20);
  // A short grace so a second copy sent right after the first is counted.
  await sleep(500);

  const latencies: number[] = [];
  const answered: number[] = [];
  const afterAnswer: number[] = [];
  let lost = 0;
  let duplicated = 0;
  for (const [text, at] of sentAt) {
    const got = arrivals.get(text);
    if (!got || got.length === 0) {
      lost += 1;
      continue;
    }
    if (got.length > 1) duplicated += 1;
    const arrived = got[0] as number;
    latencies.push(arrived - at);
    const answer = answeredAt.get(text);
    if (answer !== undefined) {
      answered.push(answer - at);
      afterAnswer.push(arrived - answer);
    }
  }
  return {
    sent: count,
    latencies,
    lost,
    duplicated,
    sendFailures,
    spanMs,
    latency: summarize(latencies),
    answered: summarize(answered),
    afterAnswer: summarize(afterAnswer),
  };
}

export async function waitUntil<T>(
  label: string,
  timeoutMs: number,
  probe: () => Promise<{ done: boolean; value: T }>,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { done, value } = await probe();
    if (done) return value;
    if (performance.now() > deadline)
      throw new Error(`${label}: not done after ${timeoutMs / 1000} s (${JSON.stringify(value)})`);
    await sleep(250);
  }
}

export const latencyLine = (label: string, run: PacedRun) =>
  `${label.padEnd(44)} p50 ${fmt(run.latency.p50).padStart(6)}   p90 ${fmt(run.latency.p90).padStart(6)}   p99 ${fmt(run.latency.p99).padStart(6)}   max ${fmt(run.latency.max).padStart(7)} ms   (${fmtInt(run.sent)} sent over ${fmt(run.spanMs / 1000)} s; lost ${run.lost}, duplicated ${run.duplicated})`;

const describe = (failures: Record<string, number>) => {
  const entries = Object.entries(failures);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}: ${v}`).join(', ');
};

export async function runRelayBench(opts: RelayOptions = relayOptionsFromEnv()): Promise<BenchResult> {
  const limitMs =
    (opts.warmupTimeoutSeconds + opts.seconds + opts.anchorSeconds + 2 * opts.stragglerSeconds + 120) * 1000;
  const database = await createBenchDatabase();
  const closers: Array<() => Promise<unknown>> = [];
  const children: BenchChild[] = [];
  try {
    return await withDeadline('relay latency benchmark', limitMs, async () => {
      log(
        `relay: database ${database.name}; ${opts.reps} reps, ${opts.leads} leads, ${opts.ratePerSecond} messages/s for ${opts.seconds} s`,
      );
      const slack = await startFakeSlackApi({ botToken: SLACK_TOKEN });
      closers.push(() => slack.close());
      const line = await startFakeLineApi({ channelAccessToken: LINE_TOKEN });
      closers.push(() => line.close());
      const { arrivals, stop: stopRecording } = recordArrivals(slack);
      closers.push(async () => stopRecording());

      const app = await startChild('./app-process.ts', {
        ...benchAppEnv(database.url, line.url, slack.url),
        BENCH_START_WORKER: '1',
      });
      children.push(app);

      // Reps through the store (the same upsert `/tsuikyaku staff add` uses); the app has migrated.
      const parentDb = await openDatabase({ url: database.url, poolMax: 2 });
      closers.push(() => parentDb.close());
      const store = createStore(parentDb.db);
      const repIds = Array.from({ length: opts.reps }, (_, i) => `UBENCHREP${String(i).padStart(4, '0')}`);
      for (const [i, slackUserId] of repIds.entries()) {
        await store.staff.upsert({ slackUserId, role: 'rep', displayName: `担当者${i}`, at: new Date() });
      }
      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      closers.push(() => sql.end({ timeout: 5 }));

      const leadIds = Array.from({ length: opts.leads }, (_, i) => benchLineUserId('2', i));
      for (const [i, userId] of leadIds.entries()) {
        line.setProfile(userId, {
          displayName: `見込み客${i}`,
          pictureUrl: `https://profile.line-scdn.net/bench/${i}`,
        });
      }
      const postWebhook = (events: Parameters<typeof webhookBody>[0]) => {
        const raw = JSON.stringify(webhookBody(events));
        return fetch(`${app.url}/webhooks/line`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-line-signature': signLineBody(raw, LINE_SECRET) },
          body: raw,
        });
      };

      // --- warm-up (not measured): follows, until every lead's card is posted and the outbox is idle ---
      const warmStarted = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < leadIds.length) {
            const userId = leadIds[next++] as string;
            const res = await postWebhook([followEvent(line, userId)]);
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`follow for ${userId} answered ${res.status}`);
          }
        }),
      );
      const warm = await waitUntil('warm-up (lead cards)', opts.warmupTimeoutSeconds * 1000, async () => {
        const [row] = await sql<{ threads: number; busy: number; failed: number; owners: number }[]>`
          select (select count(*)::int from lead_threads) as threads,
                 (select count(*)::int from outbox where status in ('pending', 'processing')) as busy,
                 (select count(*)::int from outbox where status = 'failed') as failed,
                 (select count(distinct owner_id)::int from leads) as owners`;
        const value = row ?? { threads: 0, busy: -1, failed: 0, owners: 0 };
        return { done: value.threads >= opts.leads && value.busy === 0, value };
      });
      const warmSeconds = (performance.now() - warmStarted) / 1000;
      log(
        `relay: warm-up done in ${fmt(warmSeconds)} s: ${warm.threads} lead cards posted across ${warm.owners} reps (${fmt(opts.leads / warmSeconds)} leads/s), outbox failed rows: ${warm.failed}`,
      );

      const sendLeadMessage = (text: string) =>
        postWebhook([
          textMessageEvent(line, leadIds[Math.floor(Math.random() * leadIds.length)] as string, text),
        ]);
      // A short paced warm-up of the message path itself (JIT, pools); not measured.
      await pacedRun('warm', opts.ratePerSecond * 2, opts.ratePerSecond, arrivals, sendLeadMessage, 10);

      // --- anchor: the same chat.postMessage payload straight to the fake Slack ---
      const threads = await sql<{ channel_id: string; thread_ts: string; display_name: string | null }[]>`
        select t.channel_id, t.thread_ts, l.display_name
        from lead_threads t join leads l on l.id = t.lead_id`;
      if (threads.length === 0) throw new Error('no lead threads after the warm-up');
      log(`relay: measuring the anchor, direct posts to the fake Slack (${opts.anchorSeconds} s)...`);
      const anchor = await pacedRun(
        'anchor',
        opts.anchorSeconds * opts.ratePerSecond,
        opts.ratePerSecond,
        arrivals,
        (text) => {
          const thread = threads[Math.floor(Math.random() * threads.length)] as (typeof threads)[number];
          return fetch(`${slack.url}chat.postMessage`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${SLACK_TOKEN}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({
              channel: thread.channel_id,
              thread_ts: thread.thread_ts,
              text,
              username: `${thread.display_name ?? 'LINE'} (LINE)`,
              icon_url: 'https://profile.line-scdn.net/bench/0',
              unfurl_links: 'false',
              unfurl_media: 'false',
            }).toString(),
          });
        },
        opts.stragglerSeconds,
      );

      // --- subject: signed LINE webhook -> app -> outbox -> fake Slack ---
      log(`relay: measuring the app (${opts.seconds} s at ${opts.ratePerSecond}/s)...`);
      const cpu = cpuWindow();
      const childBefore = await app.stats();
      const subject = await pacedRun(
        'bench',
        opts.seconds * opts.ratePerSecond,
        opts.ratePerSecond,
        arrivals,
        sendLeadMessage,
        opts.stragglerSeconds,
      );
      const childAfter = await app.stats();
      const machine = cpu.stop();
      const [after] = await sql<{ failed: number; busy: number }[]>`
        select (select count(*)::int from outbox where status = 'failed') as failed,
               (select count(*)::int from outbox where status in ('pending', 'processing')) as busy`;

      const p50Limit = anchor.latency.p50 + 10;
      const p99Limit = anchor.latency.p99 + 50;
      const goals: Goal[] = [
        {
          label: 'relay p50 <= anchor p50 + 10 ms',
          detail: `${fmt(subject.latency.p50)} ms vs limit ${fmt(p50Limit)} ms (anchor ${fmt(anchor.latency.p50)} ms)`,
          short: `${fmt(subject.latency.p50)} ms (limit ${fmt(p50Limit)})`,
          pass: subject.latency.p50 <= p50Limit,
        },
        {
          label: 'relay p99 <= anchor p99 + 50 ms',
          detail: `${fmt(subject.latency.p99)} ms vs limit ${fmt(p99Limit)} ms (anchor ${fmt(anchor.latency.p99)} ms)`,
          short: `${fmt(subject.latency.p99)} ms (limit ${fmt(p99Limit)})`,
          pass: subject.latency.p99 <= p99Limit,
        },
        {
          label: 'relay: zero lost',
          detail: `${subject.lost} of ${fmtInt(subject.sent)} never reached the fake Slack within ${opts.stragglerSeconds} s; webhook failures: ${describe(subject.sendFailures)}`,
          short: `${subject.lost} lost of ${fmtInt(subject.sent)}`,
          pass: subject.lost === 0 && Object.keys(subject.sendFailures).length === 0,
        },
        {
          label: 'relay: zero duplicated',
          detail: `${subject.duplicated} posted more than once`,
          short: `${subject.duplicated} duplicated`,
          pass: subject.duplicated === 0,
        },
      ];
      const seconds = subject.spanMs / 1000;
      const lines = [
        `machine: ${cpus().length} CPUs; app in a child process on PostgreSQL, outbox worker started (defaults: concurrency 16, poll 1000 ms); fake Slack and fake LINE in the parent (one clock)`,
        `${opts.reps} reps, ${opts.leads} leads (follow webhooks; all cards posted before measuring); ${opts.ratePerSecond} msg/s evenly paced to random leads; latency = fake Slack received chat.postMessage "bench-<n>" - webhook sent`,
        latencyLine('app: webhook -> Slack thread', subject),
        `  webhook answered (ingest committed): p50 ${fmt(subject.answered.p50)} ms, p99 ${fmt(subject.answered.p99)} ms; answered -> Slack received: p50 ${fmt(subject.afterAnswer.p50)} ms, p99 ${fmt(subject.afterAnswer.p99)} ms`,
        `  ${describeCpu(machine, { cores: (childAfter.cpuMicros - childBefore.cpuMicros) / (seconds * 1e6), elu: childAfter.elu })}`,
        latencyLine('anchor: direct chat.postMessage (fetch)', anchor),
        `outbox after the run: ${after?.busy ?? '?'} pending/processing, ${after?.failed ?? '?'} failed; anchor send failures: ${describe(anchor.sendFailures)}`,
      ];
      return {
        name: 'relay latency (LINE webhook -> fake Slack thread)',
        lines,
        goals,
        data: {
          options: opts,
          warmUp: { seconds: warmSeconds, ...warm },
          subject: { ...subject, latencies: undefined },
          anchor: { ...anchor, latencies: undefined },
          outboxAfter: after,
        },
      };
    });
  } finally {
    await Promise.allSettled(children.map((child) => child.stop()));
    for (const close of closers.reverse()) await close().catch(() => {});
    await database
      .drop()
      .catch((error: unknown) => log(`relay: could not drop ${database.name}: ${String(error)}`));
  }
}

if (import.meta.main) {
  const result = await runRelayBench();
  printResult(result);
  process.exitCode = result.goals.every((goal) => goal.pass) ? 0 : 1;
}

// Step dispatch benchmark: 100,000 due steps of a step sequence, sent by the real app (child
// process, PostgreSQL, outbox worker started) to a fake LINE that enforces LINE's rate limits
// (2,000 push requests/s, 200 multicast requests/s; 429 above that), on two paths:
//   (a) personalised steps ({name}): one push per lead;
//   (b) identical steps: multicast, up to 500 recipients per request.
// Anchor: the rate-limit floor, requests / limit (100,000 / 2,000 = 50 s; 200 / 200 = 1 s).
// Wall time: from the dispatch job's fire until the fake LINE has accepted the last step.
// Meanwhile lead messages arrive by signed webhook at 20/s and are relayed to the fake Slack: their
// latency during the dispatch is reported beside the same app's latency just before it.
// Run alone: node tests/bench/step-dispatch.ts (or everything: npm run bench).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { startFakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import { signLineBody, textMessageEvent, webhookBody } from '../../adapters/line/fake/line-webhook-events.ts';
import { startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import { openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import { type ChildApp, startChildApp } from '../support/child-app.ts';
import {
  type DueLead,
  dueStepsEnv,
  duplicatesAndMisses,
  enrolDue,
  IDENTICAL_SEQUENCE,
  PERSONAL_SEQUENCE,
  seedDueLeads,
  stepDeliveries,
  writeDueStepsFile,
} from '../support/due-steps.ts';
import { latencyLine, type PacedRun, pacedRun, recordArrivals, waitUntil } from './relay-latency.ts';
import {
  type BenchResult,
  benchAppEnv,
  createBenchDatabase,
  envNumber,
  fmt,
  fmtInt,
  type Goal,
  LINE_SECRET,
  LINE_TOKEN,
  log,
  printResult,
  SLACK_TOKEN,
  withDeadline,
} from './support.ts';

export interface StepDispatchOptions {
  steps: number;
  reps: number;
  /** Lead messages per second relayed during the dispatch. */
  relayRate: number;
  /** Seconds of relay measured on the idle app before the dispatch (the relay's own anchor). */
  idleRelaySeconds: number;
  /** The goal: wall time at most this many times the floor. */
  goalRatio: number;
  timeoutSeconds: number;
}

export function stepDispatchOptionsFromEnv(): StepDispatchOptions {
  return {
    steps: envNumber('BENCH_STEPS', 100_000, 1),
    reps: envNumber('BENCH_STEPS_REPS', 200, 1),
    relayRate: envNumber('BENCH_STEPS_RELAY_RATE', 20, 1),
    idleRelaySeconds: envNumber('BENCH_STEPS_IDLE_RELAY_SECONDS', 10, 1),
    goalRatio: 1.2,
    timeoutSeconds: envNumber('BENCH_STEPS_TIMEOUT_SECONDS', 900, 60),
  };
}

/** LINE's documented limits, which the fake enforces here. */
const LIMITS = { push: 2_000, multicast: 200 } as const;
const MULTICAST_MAX = 500;

type Path = 'push' | 'multicast';

interface PathRun {
  path: Path;
  steps: number;
  requests: number;
  floorSeconds: number;
  wallSeconds: number;
  /** The dispatch job's own run: due steps read, step sends written, outbox rows queued. */
  dispatchSeconds: number;
  ratio: number;
  duplicates: number;
  misses: number;
  strangers: number;
  rateLimited: number;
  /** The database floor: the run's writes as one set-based statement (rolled back), seconds. */
  databaseFloorSeconds: number;
  relayIdle: PacedRun;
  relayDuring: PacedRun;
  stepSends: Record<string, number>;
}

/**
 * A second anchor: the least the database must do for the run, measured on the same tables just
 * before it. One statement advances every due enrolment, records every step send and writes the
 * outbox rows (one per push row of 25, or per multicast of 500), then the transaction is rolled
 * back. The app does the same writes in batches of 500, deciding each step in TypeScript (quiet
 * hours, cap, tags, who can still receive), which this statement skips.
 */
async function databaseFloor(url: string, path: Path): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const perRow = path === 'push' ? 25 : MULTICAST_MAX;
    const kind = path === 'push' ? 'line.step_pushes' : 'line.step_multicast';
    const started = performance.now();
    await sql
      .begin(async (tx) => {
        await tx.unsafe(`
          with due as (
            update sequence_enrolments set state = 'completed', next_step = next_step + 1,
              due_at = null, send_at = null, ended_at = now(), updated_at = now()
            where state = 'active' and send_at <= now()
            returning id, lead_id, sequence_id, next_step - 1 as step_index),
          sends as (
            insert into step_sends (enrolment_id, lead_id, sequence_id, step_index, status, retry_key, dispatched_at)
            select id, lead_id, sequence_id, step_index, 'queued', gen_random_uuid(), now() from due
            returning id),
          numbered as (select id, (row_number() over ()) / ${perRow} as g from sends)
          insert into outbox (kind, order_key, payload, retry_key, priority)
          select '${kind}', 'floor:' || g, jsonb_build_object('kind', '${kind}', 'stepSendIds', jsonb_agg(id)),
            gen_random_uuid(), 1
          from numbered group by g`);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    return (performance.now() - started) / 1000;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

class RolledBack extends Error {}

async function runPath(path: Path, opts: StepDispatchOptions): Promise<PathRun> {
  const database = await createBenchDatabase();
  const closers: Array<() => Promise<unknown>> = [];
  let app: ChildApp | undefined;
  try {
    const line = await startFakeLineApi({
      channelAccessToken: LINE_TOKEN,
      rateLimits: { pushPerSecond: LIMITS.push, multicastPerSecond: LIMITS.multicast },
    });
    closers.push(() => line.close());
    const slack = await startFakeSlackApi({ botToken: SLACK_TOKEN });
    closers.push(() => slack.close());
    const { arrivals, stop } = recordArrivals(slack);
    closers.push(async () => stop());
    const dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-bench-steps-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const sequencesFile = await writeDueStepsFile(dir);

    app = await startChildApp({
      ...benchAppEnv(database.url, line.url, slack.url),
      NODE_ENV: 'production',
      ...(process.env.OUTBOX_CONCURRENCY ? { OUTBOX_CONCURRENCY: process.env.OUTBOX_CONCURRENCY } : {}),
      ...dueStepsEnv(sequencesFile),
    });

    // Reps, then the leads with their cards in the fake Slack, then the enrolments, due now.
    const seeding = await openDatabase({ url: database.url, poolMax: 2 });
    closers.push(() => seeding.close());
    const store = createStore(seeding.db);
    const reps = Array.from({ length: opts.reps }, (_, i) => `UBENCHREP${String(i).padStart(4, '0')}`);
    for (const [i, slackUserId] of reps.entries())
      await store.staff.upsert({ slackUserId, role: 'rep', displayName: `担当者${i}`, at: new Date() });
    // Each lead's card, posted in its owner's DM in the fake Slack: the thread its lines go to.
    const cardThread = (lead: DueLead) => {
      const card = slack.userPost({
        channel: slack.dmChannelOf(lead.ownerId),
        user: lead.ownerId,
        text: 'card',
      });
      return { channelId: card.channel, threadTs: card.ts };
    };
    const seedStarted = performance.now();
    const leads: DueLead[] = await seedDueLeads(seeding.db, {
      count: opts.steps,
      prefix: path === 'push' ? 'a' : 'b',
      reps,
      thread: cardThread,
    });
    // Leads with threads and nothing due: the relay writes to these (a message from a lead with a
    // step due would pause its sequence, as it should, and the step would not go).
    const talkers = await seedDueLeads(seeding.db, {
      count: 1000,
      prefix: path === 'push' ? 'c' : 'd',
      reps,
      thread: cardThread,
    });
    const due = new Date(Date.now() - 60_000);
    await enrolDue(
      store,
      leads.map((lead) => lead.id),
      path === 'push' ? PERSONAL_SEQUENCE : IDENTICAL_SEQUENCE,
      due,
    );
    await seeding.db.execute(sql`analyze`);
    log(
      `steps (${path}): ${fmtInt(opts.steps)} leads with cards and due enrolments written in ${fmt((performance.now() - seedStarted) / 1000)} s`,
    );

    const postWebhook = (events: Parameters<typeof webhookBody>[0]) => {
      const raw = JSON.stringify(webhookBody(events));
      return fetch(`${app?.url}/webhooks/line`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': signLineBody(raw, LINE_SECRET) },
        body: raw,
      });
    };
    const sendLeadMessage = (text: string) =>
      postWebhook([
        textMessageEvent(
          line,
          (talkers[Math.floor(Math.random() * talkers.length)] as DueLead).lineUserId,
          text,
        ),
      ]);

    // The relay on the idle app (after a short unmeasured warm-up): the reference for the figure during.
    await pacedRun('warm', opts.relayRate * 2, opts.relayRate, arrivals, sendLeadMessage, 10);
    const relayIdle = await pacedRun(
      'anchor',
      opts.idleRelaySeconds * opts.relayRate,
      opts.relayRate,
      arrivals,
      sendLeadMessage,
      15,
    );

    const databaseFloorSeconds = await databaseFloor(database.url, path);
    log(
      `steps (${path}): database floor (the run's writes in one statement, rolled back) ${fmt(databaseFloorSeconds, 2)} s`,
    );

    const expected = leads.map((lead) => lead.lineUserId);
    const requests = path === 'push' ? opts.steps : Math.ceil(opts.steps / MULTICAST_MAX);
    const floorSeconds = requests / LIMITS[path];
    const accepted = () =>
      path === 'push'
        ? line.pushes.length
        : line.multicasts.reduce((sum, multicast) => sum + multicast.to.length, 0);
    const before = accepted();

    // Relay during the dispatch: for the floor's length on the push path, 10 s on the multicast path
    // (its sends last about a second; the 100,000 thread lines they queue go on after).
    const relaySeconds = path === 'push' ? Math.max(10, floorSeconds) : 10;
    const started = performance.now();
    const relaying = pacedRun(
      'bench',
      Math.round(relaySeconds * opts.relayRate),
      opts.relayRate,
      arrivals,
      sendLeadMessage,
      30,
    );
    const dispatched = app.runJob('stepDispatch', new Date()).then((ran) => {
      if (!ran) throw new Error('the dispatch job did not run');
      return (performance.now() - started) / 1000;
    });
    // The moment the fake LINE accepts the last step, taken in its own request listener.
    const doneAt = await new Promise<number>((resolve, reject) => {
      const check = () => {
        if (accepted() - before < opts.steps) return;
        stop();
        clearTimeout(deadline);
        resolve(performance.now());
      };
      const stop = line.onRequest(check);
      // A deadline, not a wait: the last step's arrival resolves it; this only fails a run that hangs.
      const deadline = setTimeout(() => {
        stop();
        reject(new Error(`only ${accepted() - before} of ${opts.steps} steps reached LINE`));
      }, opts.timeoutSeconds * 1000);
      check();
    });
    const dispatchSeconds = await dispatched;
    const wallSeconds = (doneAt - started) / 1000;
    const relayDuring = await relaying;

    // Every step's outbox row settled (not only accepted by LINE): after that no step can go out
    // again, so the fake's record is final.
    const child = app;
    await waitUntil('step rows settled', 120_000, async () => {
      const [row] = await child.query<{ open: number }>(
        `select count(*)::int as open from outbox
         where kind in ('line.step', 'line.step_pushes', 'line.step_multicast') and status in ('pending', 'processing')`,
      );
      return { done: row?.open === 0, value: row };
    });
    const deliveries = stepDeliveries(line);
    const counted = duplicatesAndMisses(
      path === 'push' ? deliveries.personal : deliveries.identical,
      expected,
    );
    const stepSends = Object.fromEntries(
      (
        await app.query<{ status: string; n: number }>(
          'select status, count(*)::int as n from step_sends group by status',
        )
      ).map((row) => [row.status, row.n]),
    );
    const rateLimited = line.calls.filter((call) => call.status === 429).length;
    return {
      path,
      steps: opts.steps,
      requests,
      floorSeconds,
      wallSeconds,
      dispatchSeconds,
      ratio: wallSeconds / floorSeconds,
      ...counted,
      rateLimited,
      databaseFloorSeconds,
      relayIdle,
      relayDuring,
      stepSends,
    };
  } finally {
    await app?.close().catch(() => {});
    for (const close of closers.reverse()) await close().catch(() => {});
    await database
      .drop()
      .catch((error: unknown) => log(`steps: could not drop ${database.name}: ${String(error)}`));
  }
}

export async function runStepDispatchBench(
  opts: StepDispatchOptions = stepDispatchOptionsFromEnv(),
): Promise<BenchResult> {
  return withDeadline('step dispatch benchmark', 2 * opts.timeoutSeconds * 1000 + 300_000, async () => {
    const runs: PathRun[] = [];
    for (const path of ['push', 'multicast'] as const) {
      log(
        `steps (${path}): ${fmtInt(opts.steps)} due steps, fake LINE limited to ${LIMITS[path]} requests/s`,
      );
      runs.push(await runPath(path, opts));
    }
    const goals: Goal[] = [];
    const lines: string[] = [
      `app in a child process on PostgreSQL, outbox worker started (defaults); fake LINE (OpenAPI-checked, ${LIMITS.push} push/s and ${LIMITS.multicast} multicast/s, 429 above) and fake Slack in the parent`,
      `wall time = dispatch job fired -> fake LINE accepted the last step; floor = requests / LINE's limit`,
    ];
    for (const run of runs) {
      const label = run.path === 'push' ? '(a) personalised, push' : '(b) identical, multicast';
      lines.push(
        `${label}: ${fmtInt(run.steps)} steps in ${fmtInt(run.requests)} requests; wall ${fmt(run.wallSeconds, 2)} s vs floor ${fmt(run.floorSeconds, 2)} s = ${fmt(run.ratio, 2)}x; the dispatch run itself ${fmt(run.dispatchSeconds, 2)} s; 429s from the fake: ${run.rateLimited}`,
        `  database floor (the run's writes as one statement, rolled back): ${fmt(run.databaseFloorSeconds, 2)} s; the dispatch run is ${fmt(run.dispatchSeconds / run.databaseFloorSeconds, 2)}x that`,
        `  step_sends after: ${JSON.stringify(run.stepSends)}; duplicates ${run.duplicates}, misses ${run.misses}, sent to someone not due ${run.strangers}`,
        `  ${latencyLine('relay before the dispatch (idle)', run.relayIdle)}`,
        `  ${latencyLine('relay during the dispatch', run.relayDuring)}`,
      );
      goals.push(
        {
          label: `${label}: wall time <= ${opts.goalRatio}x the floor`,
          detail: `${fmt(run.wallSeconds, 2)} s = ${fmt(run.ratio, 2)}x the floor of ${fmt(run.floorSeconds, 2)} s`,
          short: `${fmt(run.ratio, 2)}x (${fmt(run.wallSeconds, 1)} s / ${fmt(run.floorSeconds, 1)} s)`,
          pass: run.ratio <= opts.goalRatio,
        },
        {
          label: `${label}: 0 duplicates, 0 misses`,
          detail: `${run.duplicates} duplicates, ${run.misses} misses, ${run.strangers} strangers of ${fmtInt(run.steps)}`,
          short: `${run.duplicates} dup, ${run.misses} missed`,
          pass: run.duplicates === 0 && run.misses === 0 && run.strangers === 0,
        },
        {
          label: `${label}: relay still served during the dispatch`,
          detail: `p99 ${fmt(run.relayDuring.latency.p99)} ms during (idle p99 ${fmt(run.relayIdle.latency.p99)} ms); ${run.relayDuring.lost} lost, ${run.relayDuring.duplicated} duplicated of ${run.relayDuring.sent}`,
          short: `p99 ${fmt(run.relayDuring.latency.p99)} ms (idle ${fmt(run.relayIdle.latency.p99)}), ${run.relayDuring.lost} lost`,
          pass:
            run.relayDuring.lost === 0 &&
            run.relayDuring.duplicated === 0 &&
            Object.keys(run.relayDuring.sendFailures).length === 0,
        },
      );
    }
    return {
      name: 'step dispatch (100,000 due steps -> rate-limited fake LINE)',
      lines,
      goals,
      data: {
        options: opts,
        runs: runs.map((run) => ({
          ...run,
          relayIdle: { ...run.relayIdle, latencies: undefined },
          relayDuring: { ...run.relayDuring, latencies: undefined },
        })),
      },
    };
  });
}

if (import.meta.main) {
  const result = await runStepDispatchBench();
  printResult(result);
  process.exitCode = result.goals.every((goal) => goal.pass) ? 0 : 1;
}

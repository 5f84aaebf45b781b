import { expect } from 'vitest';
import { countRows } from '../support/db-peek.ts';
import type { TestApp } from '../support/test-app.ts';

/** Fixed, so a failure prints a seed and a path that replay the same bodies. */
export const FUZZ_SEED = 42;

/**
 * A property sends hundreds of requests: about 15 s on an idle machine, more on a busy one, and
 * shrinking a failure takes longer still. The bound on each answer is the oracle; this only stops
 * a hung run.
 */
export const PROPERTY_TIMEOUT_MS = 300_000;

/**
 * LINE waits 2 s for a webhook answer and Slack 3 s; the issue asks for 2 s on both. That target is
 * measured here and reported (see `slowestAnswer`), not asserted: a timing assert fails on a loaded
 * machine for reasons that are not the code's. What is asserted is that every request is answered
 * at all: a request still unanswered after HANG_MS is a hang, and fails the property.
 * https://developers.line.biz/en/docs/messaging-api/receiving-messages/#webhook-response
 */
export const ANSWER_WITHIN_MS = 2000;
const HANG_MS = 30_000;

const answered = { count: 0, slowestMs: 0, over: 0 };

/** How many answers were timed, the slowest, and how many missed the 2-second target. */
export function slowestAnswer(): string {
  return `${answered.count} answers, slowest ${Math.round(answered.slowestMs)} ms, ${answered.over} over ${ANSWER_WITHIN_MS} ms`;
}

export interface Answer {
  status: number;
  ms: number;
  text: string;
}

/** One POST with exactly these bytes and headers, timed until the whole answer is read. */
export async function postBytes(
  url: string,
  body: Buffer,
  headers: Record<string, string | null>,
): Promise<Answer> {
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== null) sent[name] = value;
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: sent,
    body: new Uint8Array(body),
    signal: AbortSignal.timeout(HANG_MS),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  answered.count += 1;
  answered.slowestMs = Math.max(answered.slowestMs, ms);
  if (ms >= ANSWER_WITHIN_MS) answered.over += 1;
  return { status: res.status, ms, text };
}

/** The part of the oracle every answer must meet: an answer (see HANG_MS), and never a 5xx. */
export function expectSenderFaultAnswer(answer: Answer): void {
  expect(answer.status, answer.text).toBeGreaterThanOrEqual(200);
  expect(answer.status, answer.text).toBeLessThan(500);
}

/**
 * Collects unhandled rejections and uncaught exceptions while the properties run: each property
 * asserts the list is still empty, so a failure surfaces with the body that caused it.
 */
export function watchProcess() {
  const problems: unknown[] = [];
  const onProblem = (error: unknown) => problems.push(error);
  return {
    problems,
    start() {
      process.on('unhandledRejection', onProblem);
      process.on('uncaughtException', onProblem);
    },
    stop() {
      process.off('unhandledRejection', onProblem);
      process.off('uncaughtException', onProblem);
    },
    /** Lets late promises of the last request settle first. */
    async expectNone() {
      // One turn of the event loop (no time passes): rejections already queued are reported first.
      await new Promise((resolve) => setImmediate(resolve));
      expect(problems).toEqual([]);
    },
  };
}

/** The database after the fuzz: nothing orphaned, nothing left claimed by the drained worker. */
export async function expectConsistent(app: TestApp): Promise<void> {
  await app.service.worker.whenIdle(30_000);
  expect(
    await countRows(app.service, 'messages m', 'not exists (select 1 from leads l where l.id = m.lead_id)'),
  ).toBe(0);
  expect(await countRows(app.service, 'outbox', `status = 'processing'`)).toBe(0);
  expect(await countRows(app.service, 'dead_letters', `reason = '' or raw = ''`)).toBe(0);
}

import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import { type FakeLineApi, startFakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import { signLineBody, webhookBody } from '../../adapters/line/fake/line-webhook-events.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import {
  eventCallbackBody,
  interactionBody,
  signSlackBody,
  slashCommandBody,
} from '../../adapters/slack/fake/slack-client-requests.ts';
import { type Config, readConfig } from '../../src/config.ts';
import { createLogger } from '../../src/create-logger.ts';
import type { Clock } from '../../src/ports.ts';
import { createService, type Service } from '../../src/service.ts';
import { blockAction } from './slack-payloads.ts';
import { createTestDatabase } from './test-database.ts';

export const LINE_SECRET = 'test-line-channel-secret';
export const LINE_TOKEN = 'test-line-access-token';
export const SLACK_SECRET = 'test-slack-signing-secret';
export const SLACK_TOKEN = 'xoxb-test-token';
export const TEAM_CHANNEL = 'C0TEAM0001';
export const ADMIN = 'U0ADMIN001';

export interface TestApp {
  url: string;
  line: FakeLineApi;
  slack: FakeSlackApi;
  service: Service;
  config: Config;
  /** Posts a signed LINE webhook with these events; returns the HTTP response. */
  lineWebhook(events: unknown[], opts?: { signature?: string; rawBody?: string }): Promise<Response>;
  /** Posts a signed Slack request (JSON for events, form for commands and interactivity). */
  slackRequest(
    body: string,
    contentType: string,
    opts?: { timestamp?: number; signature?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  slackEvent(
    event: Record<string, unknown>,
    opts?: { eventId?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Runs the slash command from `channelId` (default C0SOMEWHERE); the response_url is the fake Slack's. */
  slashCommand(
    userId: string,
    text: string,
    opts?: { channelId?: string; responseUrl?: string },
  ): Promise<{ status: number; text: string }>;
  clickButton(
    userId: string,
    action: { action_id: string; value: string },
    message: { channel: string; ts: string },
  ): Promise<Response>;
  /** Posts any signed interactivity payload (block_actions with selects, view_submission...). */
  interact(payload: Record<string, unknown>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Real time, shifted so that a test run always starts on Wednesday 2026-11-25 10:00 in Tokyo (an
 * ordinary working day): business-hour rules (out-of-hours answers, escalations) then behave the
 * same whenever and wherever the suite runs.
 */
export function businessHoursClock(start = '2026-11-25T01:00:00Z'): Clock {
  const offset = Date.parse(start) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** The service's LINE and Slack settings for the given fakes, with the tests' secrets and admin. */
export function fakeApiEnv(line: { url: string }, slack: { url: string }): Record<string, string> {
  return {
    LINE_CHANNEL_SECRET: LINE_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
    LINE_API_BASE_URL: line.url,
    LINE_DATA_API_BASE_URL: line.url,
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_API_URL: slack.url,
    SLACK_TEAM_CHANNEL: TEAM_CHANNEL,
    SLACK_ADMIN_USER_IDS: ADMIN,
  };
}

/** Tests of other features run without step sequences (see the file); '' means the built-in defaults. */
const NO_SEQUENCES = fileURLToPath(new URL('./no-sequences.yml', import.meta.url));

export async function startTestApp(
  opts: {
    env?: Record<string, string>;
    clock?: Clock;
    withWorker?: boolean;
    /** The service's JSON log lines go here, at the configured LOG_LEVEL (`env`), instead of nowhere. */
    logDestination?: DestinationStream;
    /** Another replica: the same database, and the same fake LINE and Slack when given. */
    reuse?: { databaseUrl?: string; line?: FakeLineApi; slack?: FakeSlackApi };
    /** Every fake Slack call answers this much later (a slow Slack, so that jobs overlap). */
    slackLatencyMs?: number;
  } = {},
): Promise<TestApp> {
  const line = opts.reuse?.line ?? (await startFakeLineApi({ channelAccessToken: LINE_TOKEN }));
  const slack =
    opts.reuse?.slack ??
    (await startFakeSlackApi({ botToken: SLACK_TOKEN, latencyMs: opts.slackLatencyMs ?? 0 }));
  const ownsFakes = !opts.reuse?.line;
  const database = opts.reuse
    ? { url: opts.reuse.databaseUrl, drop: async () => {} }
    : await createTestDatabase();
  const config = readConfig({
    ...fakeApiEnv(line, slack),
    OUTBOX_BACKOFF_BASE_MS: '20',
    OUTBOX_BACKOFF_MAX_MS: '200',
    OUTBOX_POLL_MS: '50',
    LOG_LEVEL: 'silent',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    SEQUENCES_FILE: NO_SEQUENCES,
    ...opts.env,
  });
  const service = await createService(config, {
    clock: opts.clock ?? businessHoursClock(),
    memoryDatabase: !database.url && !opts.env?.PGLITE_DIR,
    ...(opts.logDestination
      ? { logDestination: opts.logDestination }
      : { logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') }),
  });
  if (opts.withWorker !== false) service.worker.start();
  const address = await service.server.listen({ port: 0, host: '127.0.0.1' });

  const slackRequest: TestApp['slackRequest'] = (body, contentType, o = {}) => {
    const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = o.signature ?? signSlackBody(body, SLACK_SECRET, timestamp);
    return fetch(`${address}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
        ...o.headers,
      },
      body,
    });
  };

  return {
    url: address,
    line,
    slack,
    service,
    config,
    lineWebhook(events, o = {}) {
      const raw = o.rawBody ?? JSON.stringify(webhookBody(events as Parameters<typeof webhookBody>[0]));
      return fetch(`${address}/webhooks/line`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-line-signature': o.signature ?? signLineBody(raw, LINE_SECRET),
        },
        body: raw,
      });
    },
    slackRequest,
    slackEvent(event, o = {}) {
      return slackRequest(eventCallbackBody(event, o.eventId), 'application/json', {
        headers: o.headers ?? {},
      });
    },
    async slashCommand(userId, text, opts = {}) {
      const form = slashCommandBody({
        command: config.SLACK_COMMAND,
        text,
        userId,
        channelId: opts.channelId ?? 'C0SOMEWHERE',
        responseUrl: opts.responseUrl ?? slack.responseUrl(),
        triggerId: `trigger.${randomUUID()}`,
      });
      const res = await slackRequest(form, 'application/x-www-form-urlencoded');
      const raw = await res.text();
      let answer = raw;
      try {
        answer = (JSON.parse(raw) as { text?: string }).text ?? raw;
      } catch {}
      return { status: res.status, text: answer };
    },
    clickButton(userId, action, message) {
      const payload = blockAction(userId, message, { type: 'button', ...action }, slack.responseUrl());
      return slackRequest(interactionBody(payload), 'application/x-www-form-urlencoded');
    },
    interact(payload) {
      return slackRequest(interactionBody(payload), 'application/x-www-form-urlencoded');
    },
    async close() {
      await service.close();
      if (ownsFakes) await Promise.all([line.close(), slack.close()]);
      await database.drop();
    },
  };
}

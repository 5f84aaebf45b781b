import { App, LogLevel } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { tempFileSpool } from '../adapters/files/temp-file-spool.ts';
import { createLineMessenger } from '../adapters/line/line-messenger.ts';
import { lineWebhookRoute } from '../adapters/line/line-webhook-route.ts';
import { metricsRoute } from '../adapters/metrics/metrics-route.ts';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.ts';
import { registerListeners } from '../adapters/slack/listeners/index.ts';
import { SlackIdentity } from '../adapters/slack/slack-identity.ts';
import { createSlackNotifier, createSlackWebClient } from '../adapters/slack/slack-notifier.ts';
import { FastifySlackReceiver } from '../adapters/slack/slack-receiver.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { outboxQueue } from '../db/outbox-queue.ts';
import { metricsRepository } from '../db/repositories/metrics-repository.ts';
import { statsRepository } from '../db/repositories/stats-repository.ts';
import { createStore } from '../db/store.ts';
import { type RegisteredJobs, registerJobs } from '../jobs/register-jobs.ts';
import type { Config } from './config.ts';
import { createLogger } from './create-logger.ts';
import type { BusinessCalendar } from './domain/business-calendar.ts';
import { momentText } from './domain/date-text.ts';
import type { FollowUpPolicy } from './domain/follow-up-policy.ts';
import { isJapaneseHoliday } from './domain/japanese-holidays.ts';
import type { SequencesFile } from './domain/sequences/sequence.ts';
import { InboundGate } from './inbound-gate.ts';
import { catalog } from './messages.ts';
import { OutboxWorker } from './outbox-worker.ts';
import type { Clock, Store } from './ports.ts';
import { Scheduler } from './scheduler.ts';
import { loadSequences } from './sequences-file.ts';
import { buildServer } from './server.ts';
import { loadFollowUpSettings } from './settings-file.ts';
import { deliverOutboxItem, onDeliveryGivenUp } from './use-cases/delivery/deliver-outbox-item.ts';
import { PACE_PER_SECOND } from './use-cases/sequences/dispatch-steps.ts';
import { LineQuotaGuard } from './use-cases/sequences/line-quota.ts';
import { PushGate } from './use-cases/sequences/push-gate.ts';
import type { SequenceSettings } from './use-cases/sequences/sequence-settings.ts';
import { ReportsInFlight } from './use-cases/stats/reports-in-flight.ts';
import { pacedStatsQueries } from './use-cases/stats/stats-pacing.ts';

export interface Service {
  server: FastifyInstance;
  /** The bot's Slack ids; `start()` learns them in the background when configuration lacks them. */
  identity: SlackIdentity;
  worker: OutboxWorker;
  scheduler: Scheduler;
  jobs: RegisteredJobs;
  store: Store;
  database: Database;
  /** The step sequences (SEQUENCES_FILE or the built-in defaults), validated at start. */
  sequences: SequencesFile;
  /** The sequences with their sending rules and keywords, as the use cases take them. */
  sequenceSettings: SequenceSettings;
  /** LINE's monthly quota as step sends see it (tests and the sandbox forget its cached reading). */
  quota: LineQuotaGuard;
  close(): Promise<void>;
}

export interface ServiceOptions {
  clock?: Clock;
  /** Tests: an in-memory PGlite instead of PGLITE_DIR. */
  memoryDatabase?: boolean;
  logger?: Logger;
  /** Where the JSON log lines go instead of stdout (tests read them); ignored when `logger` is given. */
  logDestination?: DestinationStream;
}

/** The team's working hours and days, with Japanese public holidays, as configured. */
export function businessCalendarOf(config: Config): BusinessCalendar {
  return {
    timezone: config.BUSINESS_TIMEZONE,
    ...config.BUSINESS_HOURS,
    days: config.BUSINESS_DAYS,
    holidays: isJapaneseHoliday,
  };
}

/** The composition: config -> database -> adapters -> server and outbox worker. Nothing listens yet. */
export async function createService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, options.logDestination);
  const clock = options.clock ?? { now: () => new Date() };
  // Before the database opens: a broken file stops the start with nothing to close.
  const sequences = await loadSequences(config.SEQUENCES_FILE);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    pgliteDir: config.PGLITE_DIR,
    memory: options.memoryDatabase ?? false,
    statsTimeoutMs: config.STATS_TIMEOUT_MS,
  });
  const store = createStore(database.db);
  const metrics = new PrometheusMetrics({
    readGauges: () => metricsRepository(database.db).gauges(),
    logger,
  });
  for (const id of config.SLACK_ADMIN_USER_IDS) await store.staff.ensureManager(id, clock.now());

  const t = catalog(config.LOCALE);
  const settings = await loadFollowUpSettings(config.SETTINGS_FILE);
  const policy: FollowUpPolicy = {
    settings,
    calendar: businessCalendarOf(config),
    neglectDays: config.NEGLECT_DAYS ?? settings.neglectDays,
    escalationMinutes: config.ESCALATION_MINUTES,
    escalationReminderMinutes: config.ESCALATION_REMINDER_MINUTES,
  };
  const slackClient = createSlackWebClient(
    config.SLACK_BOT_TOKEN,
    config.SLACK_API_URL,
    config.OUTBOUND_TIMEOUT_MS,
  );
  const blockContext = {
    t,
    timezone: config.BUSINESS_TIMEZONE,
    locale: config.LOCALE,
    now: () => clock.now(),
    command: config.SLACK_COMMAND,
  };
  const slack = createSlackNotifier(slackClient, blockContext, undefined, config.OUTBOUND_TIMEOUT_MS);
  const line = createLineMessenger({
    channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN,
    apiBaseUrl: config.LINE_API_BASE_URL,
    timeoutMs: config.OUTBOUND_TIMEOUT_MS,
  });

  const sequenceSettings: SequenceSettings = {
    file: sequences,
    rules: {
      quiet: config.QUIET_HOURS,
      stepDays: config.STEP_DAYS,
      timezone: config.BUSINESS_TIMEZONE,
      cap: config.STEP_WEEKLY_CAP,
    },
    resumeDays: config.SEQUENCE_RESUME_DAYS,
    keywords: { optOut: config.OPT_OUT_KEYWORDS, optIn: config.OPT_IN_KEYWORDS },
    companyName: config.COMPANY_NAME ?? null,
  };
  const quota = new LineQuotaGuard({ store, clock, line, logger, timezone: config.BUSINESS_TIMEZONE });

  const deliveryDeps = {
    store,
    clock,
    line,
    slack,
    logger,
    teamChannelId: config.SLACK_TEAM_CHANNEL,
    senderFallbackName: t.senderFallbackName,
    policy,
    autoAckText: (when: Date) =>
      t.autoAck(
        momentText(when, { locale: config.LOCALE, timezone: config.BUSINESS_TIMEZONE, now: clock.now() }),
        config.COMPANY_PHONE ?? null,
      ),
    sequences: {
      settings: sequenceSettings,
      quota,
      leadWords: t.sequenceLead,
      pushGate: new PushGate(PACE_PER_SECOND.push),
    },
    exports: { words: t, spool: tempFileSpool() },
    onRelayed: (arrivedAt: Date, postedAt: Date) =>
      metrics.relayed((postedAt.getTime() - arrivedAt.getTime()) / 1000),
  };
  const inbound = new InboundGate();
  const worker = new OutboxWorker({
    queue: outboxQueue(database.db),
    logger,
    deliver: (item) => deliverOutboxItem(deliveryDeps, item),
    onGiveUp: (item, error, tx) => onDeliveryGivenUp(deliveryDeps, item, error, tx),
    concurrency: config.OUTBOX_CONCURRENCY,
    pollMs: config.OUTBOX_POLL_MS,
    backoff: { baseMs: config.OUTBOX_BACKOFF_BASE_MS, maxMs: config.OUTBOX_BACKOFF_MAX_MS },
    metrics,
    inbound,
  });
  const kick = () => worker.kick();

  const receiver = new FastifySlackReceiver({
    signingSecret: config.SLACK_SIGNING_SECRET,
    logger,
    failureText: t.somethingWentWrong,
    metrics,
  });
  const identity = new SlackIdentity({
    client: slackClient,
    logger,
    configured: {
      ...(config.SLACK_BOT_USER_ID ? { botUserId: config.SLACK_BOT_USER_ID } : {}),
      ...(config.SLACK_BOT_ID ? { botId: config.SLACK_BOT_ID } : {}),
    },
  });
  const bolt = new App({
    // Our own authorize: Bolt's would call auth.test on each request, so inbound commands,
    // buttons and thread replies would fail whenever Slack's Web API does.
    authorize: async () => ({ botToken: config.SLACK_BOT_TOKEN, ...identity.current }),
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: {
      slackApiUrl: config.SLACK_API_URL,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    },
  });
  // Rethrow so an event whose listener failed gets a 500 and Slack delivers it again.
  bolt.error(async (error) => {
    throw error;
  });
  // Statistics yield to live work: paced while the outbox delivers, and computed once for
  // everyone asking the same numbers at the same time.
  const stats = pacedStatsQueries(statsRepository(database.stats), {
    busy: () => worker.delivering,
    busyPercent: config.STATS_BUSY_PERCENT,
  });
  const reports = new ReportsInFlight();
  const quotaUsage = () => quota.usage();
  registerListeners(bolt, {
    store,
    clock,
    logger,
    t,
    blocks: blockContext,
    policy,
    sequences: sequenceSettings,
    command: config.SLACK_COMMAND,
    stats,
    quotaUsage,
    reports,
    kick,
  });

  const scheduler = new Scheduler({
    runs: store.cronRuns,
    timezone: config.BUSINESS_TIMEZONE,
    clock,
    logger,
    metrics,
  });
  const jobs = registerJobs(
    scheduler,
    {
      store,
      clock,
      policy,
      logger,
      kick,
      sequences: { settings: sequenceSettings, quota },
      stats,
      quotaUsage,
    },
    {
      digestCron: config.DIGEST_CRON,
      weeklyReportCron: config.WEEKLY_REPORT_CRON,
      reportChannelId: config.SLACK_REPORT_CHANNEL ?? config.SLACK_TEAM_CHANNEL,
    },
  );

  const server = buildServer({
    logger,
    inbound,
    lineWebhook: async (app) =>
      app.register(lineWebhookRoute, {
        channelSecret: config.LINE_CHANNEL_SECRET,
        store,
        clock,
        policy,
        sequences: sequenceSettings,
        onCommitted: kick,
        metrics,
      }),
    slackEvents: receiver.plugin,
    isReady: () => database.isReady(),
    metrics: async (app) =>
      app.register(metricsRoute, { registry: metrics.registry, token: config.METRICS_TOKEN }),
  });

  return {
    server,
    identity,
    worker,
    scheduler,
    jobs,
    store,
    database,
    sequences,
    sequenceSettings,
    quota,
    async close() {
      identity.stop();
      await server.close();
      await scheduler.stop();
      await worker.stop();
      await database.close();
    },
  };
}

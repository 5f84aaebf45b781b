import cron from 'node-cron';
import { z } from 'zod';
import { parseBusinessDays, parseBusinessHours } from './domain/business-calendar.ts';
import { parseKeywordList } from './domain/sequences/opt-out-keywords.ts';
import { parseQuietHours } from './domain/sequences/quiet-hours.ts';

const slackUserId = /^[UW][A-Z0-9]{2,}$/;

const csvUserIds = z
  .string()
  .default('')
  .transform((raw) =>
    raw
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0),
  )
  .pipe(z.array(z.string().regex(slackUserId, 'each entry must be a Slack user ID such as U012ABCDEF')));

const intFrom = (fallback: number, min: number) => z.coerce.number().int().min(min).default(fallback);

const timezone = z
  .string()
  .default('Asia/Tokyo')
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Asia/Tokyo');

/** Runs a parser that throws a clear Error and turns the throw into a zod issue. */
const parsedWith = <T>(parse: (text: string) => T) =>
  z.string().transform((text, ctx): T => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  });

const escalationMinutes = z
  .string()
  .default('5,15,30')
  .transform((raw) => raw.split(',').map((part) => Number(part.trim())))
  .pipe(
    z
      .array(z.number().int('must be whole minutes').positive('must be positive'))
      .min(1)
      .max(3, 'has at most three steps: owner, team channel, managers')
      .refine(
        (steps) => steps.every((m, i) => i === 0 || m > (steps[i - 1] ?? 0)),
        'must increase, e.g. 5,15,30',
      ),
  );

/** A number a lead can dial, as written on a business card: 03-1234-5678, 0120-123-456, +81 3 1234 5678. */
const phoneNumber = z
  .string()
  .trim()
  .refine((phone) => {
    const digits = phone.replace(/\D/g, '').length;
    return /^\+?[\d(][\d\- ()]*\d$/.test(phone) && digits >= 9 && digits <= 15;
  }, 'must be a phone number of 9 to 15 half-width digits, such as 03-1234-5678 or +81-3-1234-5678');

const httpUrl = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);

const envSchema = z.object({
  PORT: intFrom(3000, 0).pipe(z.number().max(65535)),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
  LINE_CHANNEL_SECRET: z.string().min(1, 'set it to the channel secret from the LINE Developers console'),
  LINE_CHANNEL_ACCESS_TOKEN: z
    .string()
    .min(1, 'set it to a long-lived channel access token from the LINE Developers console'),
  LINE_API_BASE_URL: httpUrl('https://api.line.me'),
  LINE_DATA_API_BASE_URL: httpUrl('https://api-data.line.me'),
  SLACK_BOT_TOKEN: z.string().min(1, 'set it to the Bot User OAuth Token (xoxb-...) of the Slack app'),
  SLACK_SIGNING_SECRET: z.string().min(1, 'set it to the Signing Secret from the Slack app settings'),
  SLACK_API_URL: httpUrl('https://slack.com/api/').transform((url) => (url.endsWith('/') ? url : `${url}/`)),
  /** The bot's own ids; when unset they are learnt from one auth.test at start (see README). */
  SLACK_BOT_USER_ID: z.string().regex(slackUserId, 'must be a Slack user ID such as U012ABCDEF').optional(),
  SLACK_BOT_ID: z
    .string()
    .regex(/^B[A-Z0-9]{2,}$/, 'must be a Slack bot ID such as B012ABCDEF')
    .optional(),
  SLACK_TEAM_CHANNEL: z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C012ABCDEF (not a #name)'),
  SLACK_ADMIN_USER_IDS: csvUserIds,
  SLACK_COMMAND: z
    .string()
    .regex(/^\/[a-z0-9_-]+$/, 'must be a slash command such as /tsuikyaku')
    .default('/tsuikyaku'),
  BUSINESS_TIMEZONE: timezone,
  LOCALE: z.enum(['ja', 'en']).default('ja'),
  DIGEST_CRON: z
    .string()
    .default('0 9 * * 1-5')
    .refine((expr) => cron.validate(expr), 'must be a cron expression such as 0 9 * * 1-5'),
  /** The weekly numbers for managers; empty: no weekly report. */
  WEEKLY_REPORT_CRON: z
    .string()
    .default('0 9 * * 1')
    .refine(
      (expr) => expr === '' || cron.validate(expr),
      'must be a cron expression such as 0 9 * * 1, or empty',
    ),
  /** Where the weekly report goes; unset: SLACK_TEAM_CHANNEL. */
  SLACK_REPORT_CHANNEL: z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C012ABCDEF (not a #name)')
    .optional(),
  /** The managers' statistics queries are cancelled after this long. */
  STATS_TIMEOUT_MS: intFrom(10_000, 100),
  /** While the outbox is delivering, the statistics hold their connection at most this percent of the time. */
  STATS_BUSY_PERCENT: z.coerce.number().int().min(1).max(100).default(25),
  /** Unset: the settings file's neglectDays (default 30). */
  NEGLECT_DAYS: z.coerce.number().int().min(1).optional(),
  ESCALATION_MINUTES: escalationMinutes,
  /** Business minutes between reminders to the owner after the last escalation step; 0: none. */
  ESCALATION_REMINDER_MINUTES: intFrom(60, 0),
  BUSINESS_HOURS: z.string().default('09:00-18:00').pipe(parsedWith(parseBusinessHours)),
  BUSINESS_DAYS: z.string().default('1-5').pipe(parsedWith(parseBusinessDays)),
  /** The office phone the out-of-hours answer offers for urgent matters; unset, none is offered. */
  COMPANY_PHONE: phoneNumber.optional(),
  /** Step sequences: no step message in these local hours (may wrap midnight); empty: none. */
  QUIET_HOURS: z.string().default('21:00-09:00').pipe(parsedWith(parseQuietHours)),
  /** ISO weekdays step messages may go out on, as BUSINESS_DAYS; default every day. */
  STEP_DAYS: z
    .string()
    .default('1-7')
    .pipe(parsedWith((text) => parseBusinessDays(text, 'step days'))),
  /** Step messages per lead in any rolling 7 days, across all sequences. */
  STEP_WEEKLY_CAP: intFrom(2, 1),
  /** A paused enrolment resumes by itself this many days after the lead's last message. */
  SEQUENCE_RESUME_DAYS: intFrom(14, 1),
  /** A lead message that is exactly one of these stops all sequences; one of OPT_IN_KEYWORDS reverses it. */
  OPT_OUT_KEYWORDS: z.string().default('配信停止').pipe(parsedWith(parseKeywordList)),
  OPT_IN_KEYWORDS: z.string().default('配信再開').pipe(parsedWith(parseKeywordList)),
  /** Optional JSON file overriding the follow-up tables (matrix, amount bands, cadences, after-sales). */
  SETTINGS_FILE: z.string().optional(),
  /** The step sequences file (YAML or JSON); unset, the built-in defaults. */
  SEQUENCES_FILE: z.string().optional(),
  /** The company's name as leads know it: {company} in step messages. */
  COMPANY_NAME: z.string().trim().min(1).max(60).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OUTBOX_CONCURRENCY: intFrom(16, 1),
  OUTBOX_BACKOFF_BASE_MS: intFrom(1000, 1),
  OUTBOX_BACKOFF_MAX_MS: intFrom(60_000, 1),
  OUTBOX_POLL_MS: intFrom(1000, 10),
  OUTBOUND_TIMEOUT_MS: intFrom(10_000, 50),
  /** Bearer token for GET /metrics; unset, the endpoint is open (keep it off the public network). */
  METRICS_TOKEN: z
    .string()
    .regex(/^\S{16,}$/, 'must be at least 16 characters without spaces, e.g. from openssl rand -hex 32')
    .optional(),
});

/** Checks across keys, run once every key is valid on its own. */
const checkedEnvSchema = envSchema.superRefine((config, ctx) => {
  const both = config.OPT_IN_KEYWORDS.filter((keyword) => config.OPT_OUT_KEYWORDS.includes(keyword));
  if (both.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['OPT_IN_KEYWORDS'],
      message: `must not repeat a keyword of OPT_OUT_KEYWORDS: ${both.join(', ')}`,
    });
  }
});

/** Keys whose empty value means "none" rather than "unset, use the default". */
const EMPTY_MEANS_NONE = new Set(['QUIET_HOURS', 'WEEKLY_REPORT_CRON']);

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Invalid configuration (see .env.example):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and validates the whole configuration once; every problem is reported together. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(
      ([key, value]) => value !== undefined && (value !== '' || EMPTY_MEANS_NONE.has(key)),
    ),
  );
  const parsed = checkedEnvSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.join('.');
    const message =
      issue.code === 'invalid_type' && present[key] === undefined
        ? `is required: ${describe(key)}`
        : issue.message;
    return `${key} ${message}`;
  });
  throw new ConfigError(problems);
}

function describe(key: string): string {
  const hints: Record<string, string> = {
    LINE_CHANNEL_SECRET: 'the channel secret from the LINE Developers console',
    LINE_CHANNEL_ACCESS_TOKEN: 'a long-lived channel access token from the LINE Developers console',
    SLACK_BOT_TOKEN: 'the Bot User OAuth Token (xoxb-...) of the Slack app',
    SLACK_SIGNING_SECRET: 'the Signing Secret from the Slack app settings',
    SLACK_TEAM_CHANNEL: 'the ID of the channel for unassigned leads and alerts (C012ABCDEF)',
  };
  return hints[key] ?? 'see .env.example';
}

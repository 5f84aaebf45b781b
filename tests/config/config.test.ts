import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.ts';

const REQUIRED_KEYS = [
  'LINE_CHANNEL_SECRET',
  'LINE_CHANNEL_ACCESS_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_TEAM_CHANNEL',
] as const;

const minimalEnv = {
  LINE_CHANNEL_SECRET: 'line-secret',
  LINE_CHANNEL_ACCESS_TOKEN: 'line-token',
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'slack-signing-secret',
  SLACK_TEAM_CHANNEL: 'C0123ABCD',
};

/** The ConfigError readConfig throws for env; fails the test if it does not throw one. */
function configErrorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected readConfig to throw a ConfigError');
}

const problemsFor = (problems: string[], key: string) =>
  problems.filter(
    (problem) => problem === key || problem.startsWith(`${key} `) || problem.startsWith(`${key}.`),
  );

describe('readConfig with the minimal valid environment', () => {
  it('fills in every documented default', () => {
    expect(readConfig(minimalEnv)).toEqual({
      ...minimalEnv,
      PORT: 3000,
      HOST: '0.0.0.0',
      PGLITE_DIR: '.data/pglite',
      LINE_API_BASE_URL: 'https://api.line.me',
      LINE_DATA_API_BASE_URL: 'https://api-data.line.me',
      SLACK_API_URL: 'https://slack.com/api/',
      SLACK_ADMIN_USER_IDS: [],
      SLACK_COMMAND: '/tsuikyaku',
      BUSINESS_TIMEZONE: 'Asia/Tokyo',
      LOCALE: 'ja',
      LOG_LEVEL: 'info',
      OUTBOX_CONCURRENCY: 16,
      OUTBOX_BACKOFF_BASE_MS: 1000,
      OUTBOX_BACKOFF_MAX_MS: 60_000,
      OUTBOX_POLL_MS: 1000,
      OUTBOUND_TIMEOUT_MS: 10_000,
      DIGEST_CRON: '0 9 * * 1-5',
      WEEKLY_REPORT_CRON: '0 9 * * 1',
      STATS_TIMEOUT_MS: 10_000,
      STATS_BUSY_PERCENT: 25,
      ESCALATION_MINUTES: [5, 15, 30],
      ESCALATION_REMINDER_MINUTES: 60,
      BUSINESS_HOURS: { openMinute: 540, closeMinute: 1080 },
      BUSINESS_DAYS: [1, 2, 3, 4, 5],
      QUIET_HOURS: { startMinute: 21 * 60, endMinute: 9 * 60 },
      STEP_DAYS: [1, 2, 3, 4, 5, 6, 7],
      STEP_WEEKLY_CAP: 2,
      SEQUENCE_RESUME_DAYS: 14,
      OPT_OUT_KEYWORDS: ['配信停止'],
      OPT_IN_KEYWORDS: ['配信再開'],
    });
  });

  it.each([
    ['DIGEST_CRON', 'every morning', /^DIGEST_CRON must be a cron expression/],
    ['ESCALATION_MINUTES', '15,5', /^ESCALATION_MINUTES must increase/],
    ['ESCALATION_MINUTES', '5,15,30,60', /^ESCALATION_MINUTES has at most three steps/],
    ['ESCALATION_MINUTES', '5,x', /^ESCALATION_MINUTES\.1 /],
    ['BUSINESS_HOURS', '18:00-09:00', /^BUSINESS_HOURS /],
    ['BUSINESS_DAYS', '8', /^BUSINESS_DAYS /],
    ['QUIET_HOURS', '21:00', /^QUIET_HOURS Invalid quiet hours "21:00": expected HH:MM-HH:MM/],
    ['QUIET_HOURS', '09:00-09:00', /^QUIET_HOURS .*start and end are the same time/],
    ['STEP_DAYS', '8', /^STEP_DAYS Invalid step days "8"/],
    ['STEP_DAYS', '5-1', /^STEP_DAYS .*runs backwards/],
    ['STEP_WEEKLY_CAP', '0', /^STEP_WEEKLY_CAP /],
    ['SEQUENCE_RESUME_DAYS', '0', /^SEQUENCE_RESUME_DAYS /],
    ['OPT_OUT_KEYWORDS', ' , ', /^OPT_OUT_KEYWORDS expected at least one keyword/],
    [
      'OPT_IN_KEYWORDS',
      '配信停止',
      /^OPT_IN_KEYWORDS must not repeat a keyword of OPT_OUT_KEYWORDS: 配信停止/,
    ],
  ])('reports an invalid %s (%s) clearly', (key, value, expected) => {
    try {
      readConfig({ ...minimalEnv, [key]: value });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.join('\n')).toMatch(expected);
    }
  });

  it.each([
    [{ QUIET_HOURS: '22:00-08:00' }, 'QUIET_HOURS', { startMinute: 1320, endMinute: 480 }],
    [{ QUIET_HOURS: '12:00-13:00' }, 'QUIET_HOURS', { startMinute: 720, endMinute: 780 }],
    [{ QUIET_HOURS: '' }, 'QUIET_HOURS', null],
    [{ QUIET_HOURS: 'none' }, 'QUIET_HOURS', null],
    [{ STEP_DAYS: '1-5' }, 'STEP_DAYS', [1, 2, 3, 4, 5]],
    [{ STEP_DAYS: '0,6' }, 'STEP_DAYS', [6, 7]],
    [{ STEP_WEEKLY_CAP: '1' }, 'STEP_WEEKLY_CAP', 1],
    [{ SEQUENCE_RESUME_DAYS: '7' }, 'SEQUENCE_RESUME_DAYS', 7],
    [{ OPT_OUT_KEYWORDS: '配信停止, ストップ、STOP' }, 'OPT_OUT_KEYWORDS', ['配信停止', 'ストップ', 'stop']],
    [{ OPT_IN_KEYWORDS: '配信再開,再開' }, 'OPT_IN_KEYWORDS', ['配信再開', '再開']],
    [{ OPT_OUT_KEYWORDS: '' }, 'OPT_OUT_KEYWORDS', ['配信停止']],
    [{ STEP_DAYS: '' }, 'STEP_DAYS', [1, 2, 3, 4, 5, 6, 7]],
  ])('reads the step-sequence setting %j', (override, key, expected) => {
    expect(readConfig({ ...minimalEnv, ...override })[key as keyof ReturnType<typeof readConfig>]).toEqual(
      expected,
    );
  });

  it('leaves DATABASE_URL unset so the embedded PGlite is used', () => {
    expect(readConfig(minimalEnv).DATABASE_URL).toBeUndefined();
  });

  it('leaves METRICS_TOKEN unset, so /metrics needs no token', () => {
    expect(readConfig(minimalEnv)).not.toHaveProperty('METRICS_TOKEN');
  });

  it('leaves COMPANY_PHONE unset, so the out-of-hours answer offers no phone', () => {
    expect(readConfig(minimalEnv)).not.toHaveProperty('COMPANY_PHONE');
  });

  it('ignores unrelated environment variables', () => {
    const config = readConfig({ ...minimalEnv, PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'test' });
    expect(config).not.toHaveProperty('PATH');
    expect(config).not.toHaveProperty('HOME');
  });
});

describe('readConfig with overrides', () => {
  it.each([
    [{ PORT: '8080' }, 'PORT', 8080],
    [{ PORT: '0' }, 'PORT', 0],
    [{ PORT: '65535' }, 'PORT', 65535],
    [{ HOST: '127.0.0.1' }, 'HOST', '127.0.0.1'],
    [
      { DATABASE_URL: 'postgres://u:p@db:5432/tsuikyaku' },
      'DATABASE_URL',
      'postgres://u:p@db:5432/tsuikyaku',
    ],
    [{ DATABASE_URL: 'postgresql://db/tsuikyaku' }, 'DATABASE_URL', 'postgresql://db/tsuikyaku'],
    [{ PGLITE_DIR: '/var/lib/tsuikyaku' }, 'PGLITE_DIR', '/var/lib/tsuikyaku'],
    [{ LINE_API_BASE_URL: 'http://127.0.0.1:9000' }, 'LINE_API_BASE_URL', 'http://127.0.0.1:9000'],
    [{ SLACK_TEAM_CHANNEL: 'G0PRIVATE1' }, 'SLACK_TEAM_CHANNEL', 'G0PRIVATE1'],
    [{ SLACK_COMMAND: '/follow-up_2' }, 'SLACK_COMMAND', '/follow-up_2'],
    [{ BUSINESS_TIMEZONE: 'America/New_York' }, 'BUSINESS_TIMEZONE', 'America/New_York'],
    [{ BUSINESS_TIMEZONE: 'UTC' }, 'BUSINESS_TIMEZONE', 'UTC'],
    [{ LOCALE: 'en' }, 'LOCALE', 'en'],
    [{ LOG_LEVEL: 'debug' }, 'LOG_LEVEL', 'debug'],
    [{ OUTBOX_CONCURRENCY: '4' }, 'OUTBOX_CONCURRENCY', 4],
    [{ OUTBOX_POLL_MS: '10' }, 'OUTBOX_POLL_MS', 10],
    [{ METRICS_TOKEN: '0123456789abcdef' }, 'METRICS_TOKEN', '0123456789abcdef'],
    [{ COMPANY_PHONE: '03-1234-5678' }, 'COMPANY_PHONE', '03-1234-5678'],
    [{ COMPANY_PHONE: '0120-123-456' }, 'COMPANY_PHONE', '0120-123-456'],
    [{ COMPANY_PHONE: '090 1234 5678' }, 'COMPANY_PHONE', '090 1234 5678'],
    [{ COMPANY_PHONE: '03(1234)5678' }, 'COMPANY_PHONE', '03(1234)5678'],
    [{ COMPANY_PHONE: '+81-3-1234-5678' }, 'COMPANY_PHONE', '+81-3-1234-5678'],
    [{ COMPANY_PHONE: ' 0312345678 ' }, 'COMPANY_PHONE', '0312345678'],
  ])('accepts %j', (override, key, expected) => {
    expect(readConfig({ ...minimalEnv, ...override })[key as keyof ReturnType<typeof readConfig>]).toEqual(
      expected,
    );
  });

  it.each([
    ['U01ABC,U02DEF', ['U01ABC', 'U02DEF']],
    [' U01ABC , U02DEF ', ['U01ABC', 'U02DEF']],
    ['U01ABC, U02DEF,', ['U01ABC', 'U02DEF']],
    [',,U01ABC,,', ['U01ABC']],
    ['W0ENTERPRISE', ['W0ENTERPRISE']],
    [' , ', []],
  ])('reads SLACK_ADMIN_USER_IDS=%j as %j', (raw, expected) => {
    expect(readConfig({ ...minimalEnv, SLACK_ADMIN_USER_IDS: raw }).SLACK_ADMIN_USER_IDS).toEqual(expected);
  });

  it.each([
    ['https://slack.example/api', 'https://slack.example/api/'],
    ['https://slack.example/api/', 'https://slack.example/api/'],
    ['http://127.0.0.1:9001', 'http://127.0.0.1:9001/'],
  ])('gives SLACK_API_URL=%j a trailing slash: %j', (raw, expected) => {
    expect(readConfig({ ...minimalEnv, SLACK_API_URL: raw }).SLACK_API_URL).toBe(expected);
  });

  it.each([
    ['PORT', 3000],
    ['HOST', '0.0.0.0'],
    ['DATABASE_URL', undefined],
    ['PGLITE_DIR', '.data/pglite'],
    ['SLACK_API_URL', 'https://slack.com/api/'],
    ['SLACK_ADMIN_USER_IDS', []],
    ['SLACK_COMMAND', '/tsuikyaku'],
    ['BUSINESS_TIMEZONE', 'Asia/Tokyo'],
    ['LOCALE', 'ja'],
    ['OUTBOX_CONCURRENCY', 16],
    ['METRICS_TOKEN', undefined],
    ['COMPANY_PHONE', undefined],
  ])('treats %s= (empty) as unset and uses the default', (key, expected) => {
    expect(readConfig({ ...minimalEnv, [key]: '' })[key as keyof ReturnType<typeof readConfig>]).toEqual(
      expected,
    );
  });

  it('treats an undefined value like a missing key', () => {
    expect(readConfig({ ...minimalEnv, PORT: undefined }).PORT).toBe(3000);
  });
});

describe('readConfig with missing settings', () => {
  it('names every missing required key at once in an empty environment', () => {
    const error = configErrorOf({});
    expect(error.problems).toHaveLength(REQUIRED_KEYS.length);
    for (const key of REQUIRED_KEYS) {
      expect(problemsFor(error.problems, key)).toEqual([expect.stringContaining(`${key} is required`)]);
    }
  });

  it('is a ConfigError whose message lists every problem', () => {
    const error = configErrorOf({});
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('.env.example');
    for (const problem of error.problems) expect(error.message).toContain(`  - ${problem}`);
  });

  it('explains where to find each required value', () => {
    const { problems } = configErrorOf({});
    expect(problemsFor(problems, 'SLACK_BOT_TOKEN')[0]).toContain('xoxb-');
    expect(problemsFor(problems, 'SLACK_TEAM_CHANNEL')[0]).toContain('C012ABCDEF');
    expect(problemsFor(problems, 'LINE_CHANNEL_SECRET')[0]).toContain('LINE Developers console');
  });

  it.each(REQUIRED_KEYS)('reports %s alone when only it is missing', (key) => {
    const env: Record<string, string | undefined> = { ...minimalEnv };
    delete env[key];
    const { problems } = configErrorOf(env);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${key} is required`))]);
  });

  it.each(REQUIRED_KEYS)('treats %s= (empty) as missing', (key) => {
    const { problems } = configErrorOf({ ...minimalEnv, [key]: '' });
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${key} is required`))]);
  });
});

describe('readConfig with invalid values', () => {
  const invalid: Array<[string, string, RegExp]> = [
    ['PORT', 'abc', /^PORT /],
    ['PORT', '70000', /^PORT .*65535/],
    ['PORT', '-1', /^PORT /],
    ['PORT', '80.5', /^PORT /],
    ['DATABASE_URL', 'mysql://x', /^DATABASE_URL must be a postgres:\/\/ URL/],
    ['SLACK_TEAM_CHANNEL', '#general', /^SLACK_TEAM_CHANNEL must be a Slack channel ID .*not a #name/],
    ['SLACK_TEAM_CHANNEL', 'general', /^SLACK_TEAM_CHANNEL must be a Slack channel ID/],
    ['SLACK_TEAM_CHANNEL', 'U0123ABCD', /^SLACK_TEAM_CHANNEL must be a Slack channel ID/],
    ['SLACK_ADMIN_USER_IDS', 'U1ABC, bad', /^SLACK_ADMIN_USER_IDS\.1 each entry must be a Slack user ID/],
    ['SLACK_ADMIN_USER_IDS', '<@U1ABC>', /^SLACK_ADMIN_USER_IDS\.0 each entry must be a Slack user ID/],
    ['BUSINESS_TIMEZONE', 'Mars/Base', /^BUSINESS_TIMEZONE must be an IANA time zone/],
    ['LOCALE', 'fr', /^LOCALE .*"ja".*"en"/],
    ['LOG_LEVEL', 'verbose', /^LOG_LEVEL /],
    ['SLACK_COMMAND', 'tsuikyaku', /^SLACK_COMMAND must be a slash command/],
    ['SLACK_API_URL', 'ftp://slack.example/api', /^SLACK_API_URL /],
    ['LINE_API_BASE_URL', 'not a url', /^LINE_API_BASE_URL /],
    ['OUTBOX_CONCURRENCY', '0', /^OUTBOX_CONCURRENCY /],
    ['OUTBOX_POLL_MS', '5', /^OUTBOX_POLL_MS /],
    ['METRICS_TOKEN', 'short', /^METRICS_TOKEN must be at least 16 characters/],
    [
      'METRICS_TOKEN',
      'has a space 0123456789',
      /^METRICS_TOKEN must be at least 16 characters without spaces/,
    ],
    ['COMPANY_PHONE', 'call us', /^COMPANY_PHONE must be a phone number of 9 to 15 half-width digits/],
    ['COMPANY_PHONE', '０３－１２３４－５６７８', /^COMPANY_PHONE must be a phone number .*half-width/],
    ['COMPANY_PHONE', '03-1234', /^COMPANY_PHONE must be a phone number of 9 to 15/],
    ['COMPANY_PHONE', '+81-3-1234-5678-9999-1', /^COMPANY_PHONE must be a phone number of 9 to 15/],
    ['COMPANY_PHONE', '03-1234-5678 ext. 2', /^COMPANY_PHONE must be a phone number/],
    ['COMPANY_PHONE', '03--1234-5678-', /^COMPANY_PHONE must be a phone number/],
  ];

  it.each(invalid)('reports %s=%j', (key, value, expected) => {
    const { problems } = configErrorOf({ ...minimalEnv, [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('reports every invalid value together, alongside the missing ones', () => {
    const { problems } = configErrorOf({
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      SLACK_TEAM_CHANNEL: '#general',
      SLACK_ADMIN_USER_IDS: 'U1ABC, bad',
      BUSINESS_TIMEZONE: 'Mars/Base',
      LOCALE: 'fr',
      SLACK_BOT_TOKEN: '',
    });
    for (const key of [
      'PORT',
      'DATABASE_URL',
      'SLACK_TEAM_CHANNEL',
      'SLACK_ADMIN_USER_IDS',
      'BUSINESS_TIMEZONE',
      'LOCALE',
      'LINE_CHANNEL_SECRET',
      'LINE_CHANNEL_ACCESS_TOKEN',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
    ]) {
      expect(problemsFor(problems, key), key).toHaveLength(1);
    }
    expect(problems).toHaveLength(10);
  });

  // Known bug: zod 4 leaves `issue.input` out of reported issues unless `reportInput` is set, so
  // readConfig's `issue.input === undefined` test is always true and every invalid_type issue
  // (a non-numeric or fractional number) is worded "is required: see .env.example".
  it.each([
    ['PORT', 'abc'],
    ['OUTBOX_CONCURRENCY', '1.5'],
  ])('does not call %s=%j missing when it was set to something invalid', (key, value) => {
    const { problems } = configErrorOf({ ...minimalEnv, [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toContain('is required');
  });
});

describe('the numbers for managers', () => {
  it('WEEKLY_REPORT_CRON empty turns the weekly report off; a bad one, a #name channel or a tiny timeout are refused', () => {
    expect(readConfig({ ...minimalEnv, WEEKLY_REPORT_CRON: '' }).WEEKLY_REPORT_CRON).toBe('');
    expect(readConfig({ ...minimalEnv, SLACK_REPORT_CHANNEL: 'C0REPORT01' }).SLACK_REPORT_CHANNEL).toBe(
      'C0REPORT01',
    );
    const problems = (env: Record<string, string>) => {
      try {
        readConfig({ ...minimalEnv, ...env });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(problems({ WEEKLY_REPORT_CRON: 'every monday' })).toEqual([
      'WEEKLY_REPORT_CRON must be a cron expression such as 0 9 * * 1, or empty',
    ]);
    expect(problems({ SLACK_REPORT_CHANNEL: '#numbers' })[0]).toMatch(
      /^SLACK_REPORT_CHANNEL must be a Slack channel ID/,
    );
    expect(problems({ STATS_TIMEOUT_MS: '5' })[0]).toMatch(/^STATS_TIMEOUT_MS /);
    expect(problems({ STATS_BUSY_PERCENT: '0' })[0]).toMatch(/^STATS_BUSY_PERCENT /);
    expect(problems({ STATS_BUSY_PERCENT: '101' })[0]).toMatch(/^STATS_BUSY_PERCENT /);
    expect(readConfig({ ...minimalEnv, STATS_BUSY_PERCENT: '100' }).STATS_BUSY_PERCENT).toBe(100);
  });
});

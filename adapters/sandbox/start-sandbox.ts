// Composes the sandbox: fake LINE and Slack servers, the real service configured to call them
// (embedded in-memory PGlite, a clock the page can move forward), the sandbox page on the
// service's own server, and demo staff and leads created through the product's own paths.
import { readConfig } from '../../src/config.ts';
import { isOpenAt, nextOpening } from '../../src/domain/business-calendar.ts';
import { businessCalendarOf, createService } from '../../src/service.ts';
import { type FakeLineApi, startFakeLineApi } from '../line/fake/fake-line-api.ts';
import { startFakeSlackApi } from '../slack/fake/fake-slack-api.ts';
import { Sandbox } from './sandbox.ts';
import { SandboxClock } from './sandbox-clock.ts';
import { sandboxRoutes } from './sandbox-routes.ts';

export const SANDBOX_SECRETS = {
  LINE_CHANNEL_SECRET: 'sandbox-line-channel-secret',
  LINE_CHANNEL_ACCESS_TOKEN: 'sandbox-line-access-token',
  SLACK_BOT_TOKEN: 'xoxb-sandbox-token',
  SLACK_SIGNING_SECRET: 'sandbox-slack-signing-secret',
};
export const SANDBOX_TEAM_CHANNEL = 'C0SANDTEAM';
/** {company} in the built-in step sequences (the greeting, the nurture messages). */
export const SANDBOX_COMPANY_NAME = '青葉工務店';
export const SANDBOX_PEOPLE = {
  manager: { id: 'U0SANDMGR1', name: '佐藤 部長' },
  rep1: { id: 'U0SANDREP1', name: '田中 営業' },
  rep2: { id: 'U0SANDREP2', name: '鈴木 営業' },
  outsider: { id: 'U0SANDOTH1', name: '伊藤 経理' },
} as const;

export interface SandboxOptions {
  port?: number;
  host?: string;
  locale?: 'ja' | 'en';
  /** Start with demo staff and leads (default true). */
  seed?: boolean;
  /** Real milliseconds between job checks (default 15 s). */
  jobIntervalMs?: number;
  logLevel?: string;
}

export interface RunningSandbox {
  url: string;
  sandbox: Sandbox;
  /** The fake LINE API the service calls (tests use it to send what later features will send). */
  line: FakeLineApi;
  /** Stops everything; a second call waits for the first. */
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const line = await startFakeLineApi({ channelAccessToken: SANDBOX_SECRETS.LINE_CHANNEL_ACCESS_TOKEN });
  const slack = await startFakeSlackApi({ botToken: SANDBOX_SECRETS.SLACK_BOT_TOKEN });
  const config = readConfig({
    ...SANDBOX_SECRETS,
    LINE_API_BASE_URL: line.url,
    LINE_DATA_API_BASE_URL: line.url,
    SLACK_API_URL: slack.url,
    SLACK_TEAM_CHANNEL: SANDBOX_TEAM_CHANNEL,
    SLACK_ADMIN_USER_IDS: SANDBOX_PEOPLE.manager.id,
    LOCALE: options.locale ?? 'ja',
    LOG_LEVEL: options.logLevel ?? 'warn',
    OUTBOX_POLL_MS: '500',
    // No SEQUENCES_FILE: the built-in step sequences (greeting, questionnaire, nurture) run here.
    COMPANY_NAME: SANDBOX_COMPANY_NAME,
  });
  // Start during business hours, so a first message is answered like on a working day.
  const calendar = businessCalendarOf(config);
  const now = new Date();
  const start = isOpenAt(now, calendar) ? now : new Date(nextOpening(now, calendar).getTime() + 60 * 60_000);
  const clock = new SandboxClock(start);
  const service = await createService(config, {
    clock,
    memoryDatabase: true,
  });
  const sandbox = new Sandbox({ service, config, clock, line, slack });
  await service.server.register(sandboxRoutes, { sandbox });
  service.worker.start();
  const address = await service.server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  sandbox.start(address, options.jobIntervalMs);
  for (const person of Object.values(SANDBOX_PEOPLE)) sandbox.addPerson(person.id, person.name);
  if (options.seed !== false) await seed(sandbox);

  let closing: Promise<void> | undefined;
  return {
    url: `${address}/sandbox`,
    sandbox,
    line,
    close() {
      closing ??= (async () => {
        sandbox.stop();
        await service.close();
        await Promise.all([line.close(), slack.close()]);
      })();
      return closing;
    },
  };
}

/** Demo data, made the way a real team would make it: slash commands, then LINE friends. */
async function seed(sandbox: Sandbox): Promise<void> {
  const { manager, rep1, rep2 } = SANDBOX_PEOPLE;
  const managerDm = sandbox.slack.dmChannelOf(manager.id);
  await sandbox.slashCommand(manager.id, managerDm, `staff add <@${rep1.id}> rep`);
  await sandbox.slashCommand(manager.id, managerDm, `staff add <@${rep2.id}> rep`);
  const hanako = sandbox.createPersona('山田 花子');
  const ken = sandbox.createPersona('高橋 健');
  sandbox.createPersona('中村 さくら');
  await sandbox.follow(hanako.userId);
  await sandbox.sendLine(hanako.userId, { type: 'text', text: 'モデルハウスの見学は予約が必要ですか？' });
  await sandbox.follow(ken.userId);
}

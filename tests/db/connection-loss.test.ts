import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { countRows } from '../support/db-peek.ts';
import { befriend } from '../support/scenario.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';
import { onPostgres } from '../support/test-database.ts';

const REP = 'U0CONNLOSS1';
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const onUncaught = (error: unknown) => unhandled.push(error);

/**
 * PostgreSQL only: PGlite is in-process and has no connections to lose. The service's backends are
 * terminated (pg_terminate_backend, as a failover or an admin would) again and again while
 * webhooks arrive and the outbox delivers; nothing may reach the process, and every message must
 * be stored and relayed exactly once in the end.
 */
describe.skipIf(!onPostgres)('database connections that die under load', () => {
  let app: TestApp;
  let admin: postgres.Sql;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUncaught);
    app = await startTestApp();
    admin = postgres(process.env.TEST_DATABASE_URL as string, { max: 1, onnotice: () => {} });
    await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUncaught);
    await admin?.end();
    await app?.close();
  });

  const terminateServiceBackends = async () => {
    const database = new URL(app.config.DATABASE_URL as string).pathname.slice(1);
    const rows = await admin`
      select pg_terminate_backend(pid) as done from pg_stat_activity
      where datname = ${database} and pid <> pg_backend_pid()`;
    return rows.length;
  };

  it('keeps running, stores every message once and relays it once', async () => {
    const lineUsers = Array.from({ length: 4 }, (_, i) => `Uconnloss${String(i).padStart(23, '0')}`);
    const cards = [];
    for (const user of lineUsers) cards.push((await befriend(app, user)).card);
    const texts: string[] = [];
    let stop = false;
    const killer = (async () => {
      let kills = 0;
      while (!stop && kills < 12) {
        kills += (await terminateServiceBackends()) > 0 ? 1 : 0;
        // Time is the subject here: kills spread over the load, not one burst before it starts.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return kills;
    })();
    // Each webhook is retried until it is answered 200, as LINE redelivers after a 5xx.
    const send = async (user: string, text: string) => {
      const event = textMessageEvent(app.line, user, text);
      for (let attempt = 0; attempt < 200; attempt++) {
        const res = await app.lineWebhook([event]).catch(() => null);
        if (res?.status === 200) return;
        // LINE's redelivery comes a little later, not in the same instant; what the test waits
        // for is the 200, whatever number of redeliveries it takes.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`webhook for ${text} never accepted`);
    };
    const sends = [];
    for (let i = 0; i < 60; i++) {
      const user = lineUsers[i % lineUsers.length] as string;
      const text = `接続断テスト ${i}`;
      texts.push(text);
      sends.push(send(user, text));
      if (i % 8 === 7) await Promise.all(sends.splice(0));
    }
    await Promise.all(sends);
    stop = true;
    expect(await killer).toBeGreaterThan(0);
    await app.service.worker.whenIdle(60_000);
    for (const text of texts) {
      expect(await countRows(app.service, 'messages', `text = '${text}'`)).toBe(1);
    }
    const relayed = app.slack.messages.filter((m) => m.text?.startsWith('接続断テスト'));
    expect(relayed.map((m) => m.text).sort()).toEqual([...texts].sort());
    expect(unhandled).toEqual([]);
  }, 120_000);
});

import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { rowsOf } from '../../db/repositories/executor.ts';
import { eventually } from '../support/eventually.ts';
import { waitForCard } from '../support/scenario.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';
import { onPostgres } from '../support/test-database.ts';

/*
 * The statistics run on connections of their own with STATS_TIMEOUT_MS. A question that cannot
 * finish in time (here: another session holds a lock on a table the numbers read) is cancelled and
 * answered plainly, and meanwhile a lead's message is still relayed: the numbers never take a
 * connection from ingest or delivery. PostgreSQL only: PGlite has one connection and no timeout.
 */

let app: TestApp;
let locker: postgres.Sql;

beforeAll(async () => {
  if (!onPostgres) return;
  app = await startTestApp({ env: { STATS_TIMEOUT_MS: '300' } });
  locker = postgres(app.config.DATABASE_URL as string, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await locker?.end({ timeout: 1 });
  await app?.close();
});

describe.skipIf(!onPostgres)('a question that outruns STATS_TIMEOUT_MS', () => {
  it('runs on a connection of its own: read-only, the timeout, no parallel workers, room to sort', async () => {
    const show = async (name: string) => {
      const [row] = rowsOf<Record<string, string>>(
        await app.service.database.stats.execute(sql.raw(`show ${name}`)),
      );
      return row ? Object.values(row)[0] : undefined;
    };
    expect(await show('statement_timeout')).toBe('300ms');
    expect(await show('default_transaction_read_only')).toBe('on');
    // postgres.js drops a falsy startup value: a 0 written as a number would leave parallel query on.
    expect(await show('max_parallel_workers_per_gather')).toBe('0');
    expect(await show('work_mem')).toBe('16MB');
    expect(await show('application_name')).toBe('tsuikyaku-stats');
  });

  it('is cancelled and answered plainly, while the relay goes on', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => {};
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const transaction = locker.begin(async (tx) => {
      await tx`lock table step_sends in access exclusive mode`;
      locked();
      await released;
    });
    await holding;
    try {
      const responseUrl = app.slack.responseUrl();
      const ack = await app.slashCommand(ADMIN, 'stats month', { responseUrl });
      expect(ack.text).toBe('集計中…');
      // A lead writes while the numbers wait on the lock: the message reaches Slack.
      const lead = 'Ustatstimeout0000000000000000001';
      await app.lineWebhook([textMessageEvent(app.line, lead, '急ぎの相談です')]);
      await waitForCard(app, lead);
      const id = decodeURIComponent(responseUrl.split('/').at(-1) as string);
      const answer = await eventually(async () => app.slack.responses.find((r) => r.id === id), {
        what: 'the answer to stats',
      });
      expect(answer.body.text).toBe(
        '集計に時間がかかりすぎたため中止しました。期間を短くするか、時間をおいてもう一度お試しください。',
      );
    } finally {
      release();
      await transaction;
    }
  });
});

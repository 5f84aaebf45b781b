import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { queryRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { repReply, waitForCard } from '../support/scenario.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

/*
 * LINE's monthly quota: managers are warned once at 80% and at 100%; a step LINE refuses for the
 * monthly limit is held (not retried in a loop) and managers told; when quota returns the held
 * steps go out once; a rep's reply is never held. Also: a `date` sequence enrols its audience at
 * its moment and sends the same step to everyone by one multicast.
 */

const REP = 'U0QUOTAREP1';
const LEADS = [
  'Uquota00000000000000000000000001',
  'Uquota00000000000000000000000002',
  'Uquota00000000000000000000000003',
];
const FILE = `
interests: []
sequences:
  - id: open-house
    name: 完成見学会のご案内
    trigger: date
    start_at: "2026-12-05T10:00"
    steps:
      - after: 0m
        messages:
          - type: text
            text: "{company}の完成見学会を12月19日に開きます。ご興味があれば、このトークでお知らせください。"
`;

const clock = new ManualClock(tokyo('2026-12-05 09:00'));
let app: TestApp;
let dir: string;

const managerDms = () =>
  app.slack.messages.filter((m) => m.channel === app.slack.dmChannelOf(ADMIN)).map((m) => m.text ?? '');
/** Waits until managers were told `text`, then checks they were told it once. */
async function toldManagersOnce(text: string) {
  await eventually(async () => managerDms().some((t) => t.includes(text)), {
    what: `a manager DM with ${text}`,
  });
  await app.service.worker.whenIdle();
  expect(managerDms().filter((t) => t.includes(text))).toHaveLength(1);
}
const recipients = () => app.line.multicasts.flatMap((m) => m.to);

async function dispatch() {
  await app.service.scheduler.runOnce(app.service.jobs.stepDispatch, clock.now());
  await app.service.worker.whenIdle();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-quota-'));
  await writeFile(join(dir, 'sequences.yml'), FILE);
  app = await startTestApp({
    clock,
    env: { SEQUENCES_FILE: join(dir, 'sequences.yml'), COMPANY_NAME: '山田工務店' },
  });
  app.slack.addUser({ id: REP, name: 'sato', displayName: '佐藤' });
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
  for (const user of LEADS) {
    await app.lineWebhook([followEvent(app.line, user, { timestamp: clock.now().getTime() })]);
    await waitForCard(app, user);
  }
  await app.service.worker.whenIdle();
});
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('LINE quota and a date sequence', () => {
  it('before its moment nobody is enrolled; at 85% of the month managers are warned once', async () => {
    app.line.setQuota(100);
    app.line.setConsumption(85);
    await dispatch();
    await dispatch();
    const enrolled = await queryRows<{ n: number }>(
      app.service,
      'select count(*)::int as n from sequence_enrolments',
    );
    expect(enrolled[0]?.n).toBe(0);
    await toldManagersOnce('80%');
  });

  it('at its moment all three are enrolled; LINE refuses for the monthly limit: the step is held, managers told', async () => {
    app.line.failNext('multicast', {
      status: 429,
      body: { message: 'You have reached your monthly limit.' },
    });
    clock.set(tokyo('2026-12-05 10:00'));
    await dispatch();
    const held = await queryRows<{ status: string; n: number }>(
      app.service,
      'select status, count(*)::int as n from step_sends group by status',
    );
    expect(held).toEqual([{ status: 'held', n: 3 }]);
    expect(recipients()).toEqual([]);
    await toldManagersOnce('保留します');
    // No hot retry loop: the refused multicast is not tried again while held.
    const refused = app.line.calls.filter((c) => c.path === '/v2/bot/message/multicast').length;
    await dispatch();
    expect(app.line.calls.filter((c) => c.path === '/v2/bot/message/multicast').length).toBe(refused);
  });

  it('a rep’s reply is never held by the quota', async () => {
    const { card, owner } = await waitForCard(app, LEADS[0] as string);
    await repReply(app, card, owner, '見学会の詳細をお送りしますね。');
    await app.line.waitFor(() => app.line.pushes.find((p) => p.to === LEADS[0]));
  });

  it('when a reading shows quota again the held step goes out once to each, and managers hear so', async () => {
    clock.set(tokyo('2026-12-05 10:02'));
    await dispatch();
    expect([...recipients()].sort()).toEqual([...LEADS].sort());
    const sent = await queryRows<{ status: string; n: number }>(
      app.service,
      'select status, count(*)::int as n from step_sends group by status',
    );
    expect(sent).toEqual([{ status: 'sent', n: 3 }]);
    expect(String(app.line.multicasts[0]?.messages[0]?.text)).toContain('山田工務店の完成見学会');
    await toldManagersOnce('再開しました');
    clock.set(tokyo('2026-12-05 10:10'));
    await dispatch();
    expect(recipients()).toHaveLength(3);
  });

  it('at 100% of the month managers are told once that steps wait; nothing more is sent', async () => {
    app.line.setConsumption(97);
    app.service.quota.invalidate();
    clock.set(tokyo('2026-12-05 10:20'));
    await dispatch();
    await dispatch();
    await toldManagersOnce('上限に達しました');
    expect(managerDms().filter((t) => t.includes('80%'))).toHaveLength(1);
  });
});

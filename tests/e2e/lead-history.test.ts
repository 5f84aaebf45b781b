import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { befriend, leadIdOf, repReply } from '../support/scenario.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

const REP = 'U0HISTREP01';
const LEAD = 'U4157000000000000000000000000001';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
});

afterAll(async () => {
  await app?.close();
});

const facts = async (leadId: string) =>
  (await app.service.store.history.listForLead(leadId)).map(({ fact, actor }) => `${fact}:${actor}`);

describe('the lead history over HTTP', () => {
  it('a follow, four unanswered LINE replies (the worker’s touches) and the lead’s answer each leave their facts', async () => {
    const { card } = await befriend(app, LEAD, '履歴花子');
    const leadId = await leadIdOf(app, LEAD);
    expect(await facts(leadId)).toEqual(['created:system', 'owner_changed:system']);
    for (let i = 1; i <= 4; i += 1) {
      await repReply(app, card, REP, `ご連絡です（${i}回目）`);
      // Each push is a touch recorded by the outbox worker once LINE accepted it.
      await app.line.waitFor(() => app.line.pushes.length >= i);
      await app.service.worker.whenIdle();
    }
    expect(await facts(leadId)).toEqual(['created:system', 'owner_changed:system', `stage_changed:${REP}`]);
    const [, , nurture] = await app.service.store.history.listForLead(leadId);
    expect(nurture).toMatchObject({ from: 'open', to: 'nurture', reason: 'unanswered_attempts' });

    await app.lineWebhook([textMessageEvent(app.line, LEAD, 'お返事遅れました')]);
    await app.service.worker.whenIdle();
    const history = await app.service.store.history.listForLead(leadId);
    expect(history.at(-1)).toMatchObject({
      fact: 'stage_changed',
      from: 'nurture',
      to: 'open',
      actor: 'system',
    });
  });
});

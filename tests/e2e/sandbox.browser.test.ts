// The sandbox in a real headless Chromium (Debian's chromium, driven by playwright-core): a lead
// befriends the account and writes, the owner sees it in Slack and answers in the thread, the lead
// sees the answer on LINE, and after a jump to the next working morning the owner presses a digest
// button and submits the modal it opens. Skipped, with the reason in its name, where there is no
// Chromium. SANDBOX_SCREENSHOT=<path> saves the final screen (the README's picture comes from here).
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, SANDBOX_SECRETS, startSandbox } from '../../adapters/sandbox/start-sandbox.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const title = hasChromium
  ? 'sandbox in headless Chromium'
  : `sandbox in headless Chromium (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium, or set CHROMIUM_PATH)`;

interface State {
  line: { personas: { userId: string; displayName: string }[] };
  slack: {
    people: { id: string; dm: string }[];
    messages: { channel: string; threadTs: string | null; text: string }[];
  };
}

describe.skipIf(!hasChromium)(title, () => {
  let running: RunningSandbox;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    running = await startSandbox({ port: 0, jobIntervalMs: 3_600_000, logLevel: 'silent' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'ja-JP' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  const state = async (): Promise<State> =>
    (await (await fetch(running.url.replace(/\/sandbox$/, '/sandbox/api/state'))).json()) as State;

  it('befriend, message, answer from Slack, see it on LINE, then press a digest button the next morning', async () => {
    await page.goto(running.url);
    await page.locator('#persona option').first().waitFor({ state: 'attached' });
    const sakura = (await state()).line.personas.find((p) => p.displayName === '中村 さくら');
    expect(sakura).toBeDefined();
    await page.selectOption('#persona', sakura?.userId as string);
    await page.click('#follow');
    await page.locator('#line-chat .system-note', { hasText: '友だち追加しました' }).waitFor();

    await page.fill('#line-text', '土地探しから相談できますか');
    await page.click('#line-composer button[type=submit]');
    await page.locator('#line-chat .bubble', { hasText: '土地探しから相談できますか' }).waitFor();

    // The owner is whoever the round-robin picked: find the DM the message was relayed to.
    let ownerId = '';
    await expect
      .poll(
        async () => {
          const s = await state();
          const relayed = s.slack.messages.find(
            (m) => m.threadTs !== null && m.text.includes('土地探しから'),
          );
          ownerId = s.slack.people.find((p) => p.dm === relayed?.channel)?.id ?? '';
          return ownerId;
        },
        { timeout: 10_000 },
      )
      .not.toBe('');
    await page.selectOption('#person', ownerId);
    const card = page.locator('#slack-channel article', { hasText: '中村 さくら' }).first();
    await card.locator('.thread-link').click();
    await page.locator('#thread-messages', { hasText: '土地探しから相談できますか' }).waitFor();

    await page.fill('#thread-text', 'もちろんです。ご希望のエリアはありますか？');
    await page.click('#thread-composer button[type=submit]');
    await page.locator('#line-chat .bubble', { hasText: 'ご希望のエリアはありますか' }).waitFor();

    await page.click('[data-jump="next-morning"]');
    await page.locator('#jobs li', { hasText: '朝の追客リスト' }).waitFor({ state: 'attached' });
    const digest = page.locator('#slack-channel article', { hasText: '今日の追客' }).last();
    await digest.waitFor();
    await digest.locator('button', { hasText: '電話した' }).first().click();
    await page.locator('dialog#modal[open]').waitFor();
    await page
      .locator('#modal-blocks textarea, #modal-blocks input[type=text], #modal-blocks input:not([type])')
      .first()
      .fill('来週の土曜に見学予定');
    await page.click('#modal-submit');
    await page.locator('dialog#modal[open]').waitFor({ state: 'detached' });

    const path = process.env.SANDBOX_SCREENSHOT ?? join(tmpdir(), 'tsuikyaku-sandbox.png');
    await page.screenshot({ path, fullPage: false });
  }, 90_000);

  it('renders quick replies and templates the bot sends, and a tap goes back as a real webhook', async () => {
    const sakura = (await state()).line.personas.find((p) => p.displayName === '中村 さくら');
    await page.selectOption('#persona', sakura?.userId as string);
    // What a later feature (a step sequence, say) would push: sent to the fake LINE API as the bot does.
    const pushed = await fetch(`${running.line.url}/v2/bot/message/push`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SANDBOX_SECRETS.LINE_CHANNEL_ACCESS_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        to: sakura?.userId,
        messages: [
          {
            type: 'template',
            altText: '見学のご案内',
            template: {
              type: 'buttons',
              title: 'モデルハウス見学',
              text: '土日も見学できます',
              actions: [
                { type: 'postback', label: '資料を請求', data: 'action=brochure', displayText: '資料を請求' },
              ],
            },
          },
          {
            type: 'text',
            text: 'ご希望の日はありますか？',
            quickReply: {
              items: [
                {
                  type: 'action',
                  action: { type: 'message', label: '今週末', text: '今週末に見学したいです' },
                },
                {
                  type: 'action',
                  action: { type: 'postback', label: '来月', data: 'when=next-month', displayText: '来月' },
                },
              ],
            },
          },
        ],
      }),
    });
    expect(pushed.status).toBe(200);
    await page.locator('#line-chat .template .title', { hasText: 'モデルハウス見学' }).waitFor();
    await page.locator('#line-chat .quick-replies button', { hasText: '今週末' }).click();
    await page.locator('#line-chat .bubble', { hasText: '今週末に見学したいです' }).waitFor();
    // The tap was a real message event: it reaches the owner's thread in Slack.
    await expect
      .poll(
        async () => (await state()).slack.messages.some((m) => m.text.includes('今週末に見学したいです')),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    // Quick replies disappear once the lead has answered, as in the LINE app.
    expect(await page.locator('#line-chat .quick-replies').count()).toBe(0);
    await page.locator('#line-chat .template button', { hasText: '資料を請求' }).click();
    await page.locator('#line-chat .bubble', { hasText: '資料を請求' }).waitFor();
    expect(await page.locator('#status').textContent()).toBe('');
  }, 60_000);
});

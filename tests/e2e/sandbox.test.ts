// The sandbox over real HTTP (no browser): its API drives the real service through signed LINE and
// Slack requests, and the state it serves to the page shows what the product did.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  type RunningSandbox,
  SANDBOX_COMPANY_NAME,
  SANDBOX_PEOPLE,
  startSandbox,
} from '../../adapters/sandbox/start-sandbox.ts';
import type { Service } from '../../src/service.ts';
import { queryRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { startTestApp } from '../support/test-app.ts';

interface State {
  version: number;
  now: string;
  line: {
    personas: { userId: string; displayName: string; friend: boolean; blocked: boolean }[];
    log: {
      id: number;
      userId: string;
      from: string;
      via?: string;
      message: {
        type: string;
        text?: string;
        sender?: { name?: string };
        quickReply?: {
          items: { action: { type: string; label: string; data: string; displayText?: string } }[];
        };
      };
    }[];
  };
  slack: {
    appName: string;
    people: { id: string; name: string; role: string | null; dm: string }[];
    messages: {
      channel: string;
      ts: string;
      at: string;
      threadTs: string | null;
      text: string;
      files: {
        id: string;
        name: string;
        title: string;
        url: string;
        type: string;
        size: number;
        image: { width: number; height: number } | null;
      }[];
      blocks: { type: string; block_id?: string; elements?: Record<string, unknown>[] }[] | null;
      edited: boolean;
      bot: boolean;
      userName: string | null;
      icon: { url?: string; emoji?: string } | null;
    }[];
    ephemerals: {
      id: string;
      userId: string;
      channel: string;
      text: string;
      at: string;
      blocks?: unknown[];
    }[];
    views: Record<
      string,
      { viewId: string; view: { callback_id: string }; errors: Record<string, string> }[]
    >;
  };
  jobs: { job: string; ran: boolean; times: number }[];
}

let running: RunningSandbox;
let base: string;

beforeAll(async () => {
  running = await startSandbox({ port: 0, jobIntervalMs: 3_600_000, logLevel: 'silent' });
  base = running.url.replace(/\/sandbox$/, '');
});

afterAll(async () => {
  await running?.close();
});

async function state(): Promise<State> {
  return (await (await fetch(`${base}/sandbox/api/state`)).json()) as State;
}

async function post(path: string, body: unknown = {}) {
  const res = await fetch(`${base}/sandbox/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; error?: string } & Record<string, unknown>,
  };
}

/** Polls `probe` until it returns something (a condition, not a pause), failing after `timeoutMs` (generous: a busy machine may take long to show it). */
const poll = <T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 45_000) =>
  eventually(probe, { what, timeoutMs });

const until = <T>(what: string, pick: (s: State) => T | undefined | false) =>
  poll(what, async () => pick(await state()));

/**
 * The service inside the sandbox, to read what it stored. RunningSandbox does not expose it, so
 * this reaches into the sandbox's own parts.
 */
const sandboxService = () => (running.sandbox as unknown as { parts: { service: Service } }).parts.service;

describe('sandbox', () => {
  it('serves the page and starts with demo staff registered through slash commands, and demo leads', async () => {
    const page = await fetch(`${base}/sandbox`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('tsuikyaku');
    for (const asset of ['app.js', 'app.css']) {
      expect((await fetch(`${base}/sandbox/assets/${asset}`)).status).toBe(200);
    }
    expect((await fetch(`${base}/sandbox/assets/secret.txt`)).status).toBe(404);
    const s = await state();
    expect(s.slack.people.map((p) => [p.id, p.role])).toEqual([
      [SANDBOX_PEOPLE.manager.id, 'manager'],
      [SANDBOX_PEOPLE.rep1.id, 'rep'],
      [SANDBOX_PEOPLE.rep2.id, 'rep'],
      [SANDBOX_PEOPLE.outsider.id, null],
    ]);
    expect(s.line.personas.map((p) => [p.displayName, p.friend])).toEqual([
      ['山田 花子', true],
      ['高橋 健', true],
      ['中村 さくら', false],
    ]);
    // The demo lead's first message reached its owner's Slack thread through the real relay.
    await until('the demo message in Slack', (st) =>
      st.slack.messages.find((m) => m.threadTs !== null && m.text.includes('モデルハウスの見学')),
    );
  });

  it('relays a new friend’s message to the owner’s thread and the owner’s thread reply back to LINE', async () => {
    const created = await post('line/personas', { displayName: '木村 真' });
    expect(created.status).toBe(200);
    const userId = (created.body.persona as { userId: string }).userId;
    expect((await post(`line/${userId}/follow`)).status).toBe(200);
    expect(
      (await post(`line/${userId}/message`, { type: 'text', text: '土地探しから相談できますか' })).status,
    ).toBe(200);
    const relayed = await until('the relayed message', (s) =>
      s.slack.messages.find((m) => m.threadTs !== null && m.text.includes('土地探しから相談できますか')),
    );
    const s = await state();
    const owner = s.slack.people.find((p) => p.dm === relayed.channel);
    expect(owner?.role).toBe('rep');

    const reply = await post('slack/message', {
      userId: owner?.id,
      channel: relayed.channel,
      text: 'もちろんです。ご希望の地域を教えてください',
      threadTs: relayed.threadTs,
    });
    expect(reply.status).toBe(200);
    const delivered = await until('the reply on LINE', (st) =>
      st.line.log.find(
        (item) =>
          item.userId === userId && item.from === 'bot' && item.message.text?.includes('ご希望の地域'),
      ),
    );
    expect(delivered.message.sender?.name).toBe(owner?.name);
  });

  it('jumps to the next working morning, runs the digest, and a digest button opens a modal that submits', async () => {
    const before = await state();
    expect((await post('clock', { jump: 'next-morning' })).status).toBe(200);
    const after = await state();
    expect(Date.parse(after.now)).toBeGreaterThan(Date.parse(before.now));
    expect(after.jobs.some((j) => j.job === 'morning-digest' && j.ran)).toBe(true);

    const rep = SANDBOX_PEOPLE.rep1;
    const dm = after.slack.people.find((p) => p.id === rep.id)?.dm as string;
    const digest = await until('the morning digest', (s) =>
      s.slack.messages.find(
        (m) =>
          m.channel === dm &&
          m.threadTs === null &&
          m.blocks?.some((b) => b.elements?.some((e) => e.action_id === 'lead_call')) &&
          m.text.includes('追客'),
      ),
    );
    const block = digest.blocks?.find((b) => b.elements?.some((e) => e.action_id === 'lead_call'));
    const button = block?.elements?.find((e) => e.action_id === 'lead_call') as { value: string };
    const pressed = await post('slack/action', {
      userId: rep.id,
      channel: dm,
      messageTs: digest.ts,
      action: { type: 'button', action_id: 'lead_call', block_id: block?.block_id, value: button.value },
    });
    expect(pressed.status).toBe(200);
    const [view] = await until('the modal', (s) =>
      s.slack.views[rep.id]?.length ? s.slack.views[rep.id] : undefined,
    );
    expect(view?.view.callback_id).toBe('touch_modal');
    const submitted = await post('slack/view', {
      userId: rep.id,
      viewId: view?.viewId,
      values: {
        outcome: {
          value: {
            type: 'radio_buttons',
            selected_option: { text: { type: 'plain_text', text: '話せた' }, value: 'reached' },
          },
        },
        note: { value: { type: 'plain_text_input', value: '来週モデルハウスへ' } },
        next: { value: { type: 'datepicker', selected_date: null } },
      },
    });
    expect(submitted.status).toBe(200);
    const views = (await state()).slack.views[rep.id];
    expect(views ?? []).toEqual([]);
    // The call was recorded as the rep's touch on the lead whose button was pressed.
    const touches = await poll('the recorded call', async () => {
      const rows = await queryRows<Record<string, unknown>>(
        sandboxService(),
        `select lead_id::text, channel, direction, outcome, note, author_id from touches
         where author_id = '${rep.id}' and channel <> 'line'`,
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(touches).toEqual([
      {
        lead_id: button.value,
        channel: 'phone',
        direction: 'outbound',
        outcome: 'reached',
        note: '来週モデルハウスへ',
        author_id: rep.id,
      },
    ]);
  });

  it('blocks and re-adds a friend, sends stickers, images, locations and postbacks through real webhooks', async () => {
    const created = await post('line/personas', { displayName: '小林 誠' });
    const userId = (created.body.persona as { userId: string }).userId;
    expect((await post(`line/${userId}/follow`)).status).toBe(200);
    for (const type of ['sticker', 'image', 'location']) {
      expect((await post(`line/${userId}/message`, { type })).status).toBe(200);
    }
    expect(
      (await post(`line/${userId}/postback`, { data: 'action=visit', displayText: '見学したい' })).status,
    ).toBe(200);
    const relayed = await until('the sticker, image and location in Slack', (s) => {
      const shown = s.slack.messages.filter(
        (m) => m.threadTs !== null && /スタンプ|画像|位置情報|現在地/.test(m.text),
      );
      return shown.length >= 3 ? shown : undefined;
    });
    expect(relayed.length).toBeGreaterThanOrEqual(3);
    expect((await post(`line/${userId}/unfollow`)).status).toBe(200);
    await until('the block notice in the owner’s thread', (s) =>
      s.slack.messages.find((m) => m.threadTs !== null && /ブロック/.test(m.text)),
    );
    expect((await post(`line/${userId}/follow`)).status).toBe(200);
    const persona = (await state()).line.personas.find((p) => p.userId === userId);
    expect(persona).toMatchObject({ friend: true, blocked: false });
    const notes = (await state()).line.log.filter((i) => i.userId === userId && i.from === 'system');
    expect(notes.map((n) => (n.message as { event?: string }).event)).toEqual([
      'followed',
      'blocked',
      'unblocked',
    ]);
  });

  it('answers bad input with a clear error and changes nothing', async () => {
    // Earlier tests' deliveries must not land in between and read as a change.
    await sandboxService().worker.whenIdle();
    const before = await state();
    const unknown = await post('line/Udeadbeefdeadbeefdeadbeefdeadbeef/follow');
    expect(unknown).toMatchObject({
      status: 409,
      body: { ok: false, error: expect.stringContaining('no such LINE user') },
    });
    const badJump = await post('clock', { jump: 'yesterday' });
    expect(badJump.status).toBe(400);
    expect(badJump.body.error).toMatch(/jump/);
    const notFriend = before.line.personas.find((p) => !p.friend);
    const refused = await post(`line/${notFriend?.userId}/message`, { type: 'text', text: 'hello' });
    expect(refused).toMatchObject({ status: 409, body: { error: expect.stringContaining('friend') } });
    const empty = await post('slack/message', {
      userId: SANDBOX_PEOPLE.rep1.id,
      channel: 'C0SANDTEAM',
      text: '   ',
    });
    expect(empty.status).toBe(400);
    await sandboxService().worker.whenIdle();
    const after = await state();
    expect(after.line.log).toHaveLength(before.line.log.length);
  });

  it('sends a server-sent "change" event when something happens', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/sandbox/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const first = await reader.read();
    seen += decoder.decode(first.value);
    expect(seen).toContain('event: change');
    await post('line/personas', { displayName: '通知 確認' });
    while (!/event: change\ndata: \d+\n\n[\s\S]*event: change/.test(seen)) {
      const next = await reader.read();
      seen += decoder.decode(next.value);
    }
    controller.abort();
  });

  it('runs a request repeated with the same Idempotency-Key once, answering it with the first answer', async () => {
    const postKeyed = async (path: string, body: unknown, key: string) => {
      const res = await fetch(`${base}/sandbox/api/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
      return {
        status: res.status,
        replayed: res.headers.get('idempotent-replayed'),
        body: (await res.json()) as { ok: boolean; error?: string; persona?: { userId: string } },
      };
    };
    // A double click: both arrive before the first is answered.
    const [first, second] = await Promise.all([
      postKeyed('line/personas', { displayName: '重複 太郎' }, 'k-persona-1'),
      postKeyed('line/personas', { displayName: '重複 太郎' }, 'k-persona-1'),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body).toEqual(first.body);
    expect([first.replayed, second.replayed].sort()).toEqual([null, 'true']);
    expect((await state()).line.personas.filter((p) => p.displayName === '重複 太郎')).toHaveLength(1);
    const userId = first.body.persona?.userId as string;

    // The same key for another request is refused, and changes nothing.
    const reused = await postKeyed('line/personas', { displayName: '重複 次郎' }, 'k-persona-1');
    expect(reused.status).toBe(422);
    expect((await state()).line.personas.some((p) => p.displayName === '重複 次郎')).toBe(false);
    expect((await postKeyed('line/personas', { displayName: '鍵 なし' }, 'a key with spaces')).status).toBe(
      400,
    );

    expect((await postKeyed(`line/${userId}/follow`, {}, 'k-follow')).status).toBe(200);
    // A retry after a lost answer: the message reaches the app once.
    for (let i = 0; i < 2; i++) {
      const sent = await postKeyed(
        `line/${userId}/message`,
        { type: 'text', text: '一度だけの質問' },
        'k-line',
      );
      expect(sent.status).toBe(200);
    }
    const relayed = await until('the question in Slack', (s) =>
      s.slack.messages.find((m) => m.threadTs !== null && m.text.includes('一度だけの質問')),
    );
    const owner = (await state()).slack.people.find((p) => p.dm === relayed.channel);
    const reply = {
      userId: owner?.id,
      channel: relayed.channel,
      text: '一度だけの回答',
      threadTs: relayed.threadTs,
    };
    await Promise.all([
      postKeyed('slack/message', reply, 'k-reply'),
      postKeyed('slack/message', reply, 'k-reply'),
    ]);
    await sandboxService().worker.whenIdle();
    const after = await state();
    expect(after.line.log.filter((i) => i.message.text === '一度だけの質問')).toHaveLength(1);
    expect(after.slack.messages.filter((m) => m.text.includes('一度だけの質問'))).toHaveLength(1);
    expect(after.slack.messages.filter((m) => m.text === '一度だけの回答')).toHaveLength(1);
    expect(
      running.line.pushes.filter(
        (p) => p.to === userId && p.messages.some((m) => m.text === '一度だけの回答'),
      ),
    ).toHaveLength(1);

    // Without a key (curl, scripts) every request counts, as before.
    await post('line/personas', { displayName: '鍵 なし' });
    await post('line/personas', { displayName: '鍵 なし' });
    expect((await state()).line.personas.filter((p) => p.displayName === '鍵 なし')).toHaveLength(2);
  });

  it('hands the app typed text as Slack does (escaped, @names as mentions), and shows lead posts under the name and icon the app chose', async () => {
    const created = await post('line/personas', { displayName: '記号 確認' });
    const persona = created.body.persona as { userId: string; pictureUrl: string };
    await post(`line/${persona.userId}/follow`);
    await post(`line/${persona.userId}/message`, { type: 'text', text: '<b>太字</b> & 記号' });
    const relayed = await until('the lead message in Slack', (s) =>
      s.slack.messages.find((m) => m.threadTs !== null && m.text.includes('太字')),
    );
    // The lead's words are posted under their LINE name and picture (chat:write.customize).
    expect(relayed).toMatchObject({ userName: '記号 確認 (LINE)', icon: { url: persona.pictureUrl } });
    const card = (await state()).slack.messages.find((m) => m.ts === relayed.threadTs);
    expect(card).toMatchObject({ bot: true, userName: null, icon: null });
    // The app's name is the one the manifest gives it.
    const manifest = parseYaml(readFileSync('slack-app-manifest.yml', 'utf8')) as {
      features: { bot_user: { display_name: string } };
    };
    expect((await state()).slack.appName).toBe(manifest.features.bot_user.display_name);

    const owner = (await state()).slack.people.find((p) => p.dm === relayed.channel);
    const typed = '見学会<12/5>のご案内 A&B &amp; @鈴木 営業 さんも同席します';
    await post('slack/message', {
      userId: owner?.id,
      channel: relayed.channel,
      text: typed,
      threadTs: relayed.threadTs,
    });
    const posted = (await state()).slack.messages.find((m) => m.text.includes('見学会'));
    expect(posted?.text).toBe(
      `見学会&lt;12/5&gt;のご案内 A&amp;B &amp;amp; <@${SANDBOX_PEOPLE.rep2.id}> さんも同席します`,
    );
    const delivered = await until('the reply on LINE', (s) =>
      s.line.log.find(
        (i) => i.userId === persona.userId && i.from === 'bot' && i.message.text?.includes('見学会'),
      ),
    );
    expect(delivered.message.text).toBe('見学会<12/5>のご案内 A&B &amp; 鈴木 営業 さんも同席します');

    // The README's own example, typed with the person's full name.
    const { manager, outsider } = SANDBOX_PEOPLE;
    const managerDm = (await state()).slack.people.find((p) => p.id === manager.id)?.dm;
    const added = await post('slack/command', {
      userId: manager.id,
      channel: managerDm,
      text: `staff add @${outsider.name} rep`,
    });
    expect(added.status).toBe(200);
    expect((await state()).slack.people.find((p) => p.id === outsider.id)?.role).toBe('rep');
    expect(
      (
        await post('slack/command', {
          userId: manager.id,
          channel: managerDm,
          text: `staff remove @${outsider.id}`,
        })
      ).status,
    ).toBe(200);
    expect((await state()).slack.people.find((p) => p.id === outsider.id)?.role).toBe(null);
  });

  it('serves a favicon', async () => {
    const res = await fetch(`${base}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/x-icon');
    expect([...new Uint8Array(await res.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]);
  });
});

/*
 * The numbers and the CSV exports of issue 12 as a newcomer tries them from the command box: the
 * sandbox's manager (SLACK_ADMIN_USER_IDS) runs `stats` and `export leads` in their DM; the charts
 * and the CSV the app uploads to the fake Slack are shown in that DM and served by the sandbox.
 */
describe('sandbox: stats and CSV exports', () => {
  const { manager, rep1 } = SANDBOX_PEOPLE;
  const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const UTF8_BOM = [0xef, 0xbb, 0xbf];
  const dmOf = async (userId: string) => (await state()).slack.people.find((p) => p.id === userId)?.dm ?? '';
  const download = async (url: string) => {
    const res = await fetch(`${base}${url}`);
    return { res, bytes: [...new Uint8Array(await res.arrayBuffer())] };
  };

  it('runs `stats` as the manager: 集計中… is replaced by the numbers, then two PNG charts follow in the DM, served by the sandbox', async () => {
    const dm = await dmOf(manager.id);
    const before = await state();
    const known = new Set(before.slack.messages.map((m) => `${m.channel}:${m.ts}`));
    const knownEphemerals = new Set(before.slack.ephemerals.map((e) => e.id));
    expect(before.slack.people.find((p) => p.id === manager.id)?.role).toBe('manager');

    expect((await post('slack/command', { userId: manager.id, channel: dm, text: 'stats' })).status).toBe(
      200,
    );
    const charts = await until('two charts shared in the manager’s DM', (s) => {
      const shared = s.slack.messages.filter(
        (m) => m.channel === dm && !known.has(`${m.channel}:${m.ts}`) && m.files.length > 0,
      );
      return shared.length >= 2 && shared;
    });
    expect(charts).toHaveLength(2);
    const files = charts.flatMap((m) => m.files);
    expect(files.map((f) => [f.type, f.image])).toEqual([
      ['image/png', { width: 800, height: 450 }],
      ['image/png', { width: 800, height: 450 }],
    ]);
    for (const file of files) {
      expect(file.name).toMatch(/\.png$/);
      expect(file.title).not.toBe('');
      const { res, bytes } = await download(file.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('content-disposition')).toMatch(/^inline; /);
      expect(bytes.slice(0, 8)).toEqual(PNG_SIGNATURE);
      expect(bytes).toHaveLength(file.size);
    }
    // One answer for the manager: the ack (集計中…) replaced by the numbers, shown before the charts.
    const s = await state();
    const answers = s.slack.ephemerals.filter((e) => !knownEphemerals.has(e.id) && e.channel === dm);
    expect(answers.map((e) => [e.userId, e.text.startsWith('数字（')])).toEqual([[manager.id, true]]);
    expect(answers[0]?.blocks?.length).toBeGreaterThan(0);
    for (const chart of charts) {
      expect(Date.parse(answers[0]?.at ?? '')).toBeLessThan(Date.parse(chart.at));
    }
  });

  it('runs `export leads` as the manager: a CSV in their DM, downloaded from the sandbox with its name and a BOM', async () => {
    const dm = await dmOf(manager.id);
    const known = new Set((await state()).slack.messages.map((m) => `${m.channel}:${m.ts}`));
    expect(
      (await post('slack/command', { userId: manager.id, channel: dm, text: 'export leads' })).status,
    ).toBe(200);
    const shared = await until('the CSV shared in the manager’s DM', (s) =>
      s.slack.messages.find(
        (m) => m.channel === dm && !known.has(`${m.channel}:${m.ts}`) && m.files.length > 0,
      ),
    );
    const [file] = shared.files;
    expect(file?.name).toMatch(/leads.*\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}.*\.csv$/);
    expect(file?.type).toBe('text/csv; charset=utf-8');
    expect(file?.image).toBeNull();
    // The comment it was shared with (the row count), as Slack shows it above the file.
    expect(shared.text).toContain('件');
    const { res, bytes } = await download(file?.url ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${file?.name}"; filename*=UTF-8''${file?.name}`,
    );
    expect(bytes.slice(0, 3)).toEqual(UTF8_BOM);
    // The demo leads, created through the product in the sandbox's current week.
    const csv = new TextDecoder().decode(new Uint8Array(bytes));
    expect(csv).toContain('山田 花子');
  });

  it('refuses `export` to a rep (managers only), and answers 404 for a file it does not have', async () => {
    const dm = await dmOf(rep1.id);
    const uploads = running.sandbox.slack.uploads.length;
    expect((await post('slack/command', { userId: rep1.id, channel: dm, text: 'export leads' })).status).toBe(
      200,
    );
    const refusal = (await state()).slack.ephemerals.filter((e) => e.userId === rep1.id).at(-1);
    expect(refusal?.text).toBe('CSVの書き出しはマネージャーのみ実行できます。');
    expect(running.sandbox.slack.uploads).toHaveLength(uploads);
    expect((await fetch(`${base}/sandbox/files/F9999999999`)).status).toBe(404);
    expect((await fetch(`${base}/sandbox/files/..%2Fapp.js`)).status).toBe(404);
  });
});

/*
 * The built-in step sequences (no SEQUENCES_FILE) as a person tries them in the sandbox: add a
 * friend, tap an answer, jump a week, write back, send 配信停止. Runs after the tests above, on the
 * clock they left.
 */
describe('sandbox: step sequences', () => {
  type LogItem = State['line']['log'][number];
  const logOf = (s: State, userId: string) => s.line.log.filter((item) => item.userId === userId);
  const botSaid = (userId: string, text: string, via?: string) => (s: State) =>
    logOf(s, userId).find(
      (item) => item.from === 'bot' && item.message.text?.includes(text) && (!via || item.via === via),
    );
  /** The quick replies under the phone's last message (the page shows them there only, as LINE does). */
  const quickRepliesOf = (s: State, userId: string) =>
    logOf(s, userId).at(-1)?.message.quickReply?.items ?? [];
  /** Taps a quick reply as the page does: its postback data, and its displayText as the lead's message. */
  const tap = async (userId: string, label: string) => {
    const item = quickRepliesOf(await state(), userId).find((q) => q.action.label === label);
    expect(item, `a quick reply ${label}`).toBeDefined();
    const { data, displayText } = item?.action ?? { data: '' };
    expect((await post(`line/${userId}/postback`, { data, displayText })).status).toBe(200);
  };
  /** What the app posted in the thread of the lead's card (in the owner's DM). */
  const threadOf = (s: State, name: string) => {
    const cards = new Set(
      s.slack.messages
        .filter((m) => m.threadTs === null && m.bot && JSON.stringify(m.blocks ?? []).includes(`${name}さん`))
        .map((m) => m.ts),
    );
    return s.slack.messages.filter((m) => m.threadTs !== null && cards.has(m.threadTs));
  };
  const inThread = (name: string, text: string) => (s: State) =>
    threadOf(s, name).find((m) => m.text.includes(text));
  const befriend = async (name: string) => {
    const userId = ((await post('line/personas', { displayName: name })).body.persona as { userId: string })
      .userId;
    expect((await post(`line/${userId}/follow`)).status).toBe(200);
    return userId;
  };
  /** `first` is above `second` on the phone. */
  const shownBefore = (items: LogItem[], first: LogItem | undefined, second: LogItem) => {
    const at = (item: LogItem | undefined) => items.findIndex((i) => i.id === item?.id);
    return at(first) >= 0 && at(first) < at(second);
  };

  let okada = '';

  it('greets a new friend with 「ご検討時期は？」 as quick replies; a tap sets the timing, which the Slack thread shows', async () => {
    okada = await befriend('岡田 誠');
    const question = await until('the questionnaire', botSaid(okada, 'ご検討時期は？', 'reply'));
    const greeting = await until('the greeting', botSaid(okada, '友だち追加ありがとうございます'));
    expect(greeting.message.text).toContain('岡田 誠様');
    expect(greeting.message.text).toContain(`${SANDBOX_COMPANY_NAME}です。`);
    expect(quickRepliesOf(await state(), okada).map((q) => q.action.label)).toEqual([
      '1ヶ月以内',
      '3ヶ月以内',
      '半年以内',
      '1年以内',
      '1年以上',
      '未定',
    ]);
    expect(question.message.quickReply?.items.every((q) => q.action.type === 'postback')).toBe(true);

    await tap(okada, '3ヶ月以内');
    const thanks = await until('the thanks', botSaid(okada, '教えていただきありがとうございます', 'reply'));
    const s = await state();
    // The lead's tap shows as their message (the action's displayText), before the bot's answer.
    const answer = logOf(s, okada).find((i) => i.from === 'lead' && i.message.text === '3ヶ月以内');
    expect(shownBefore(logOf(s, okada), answer, thanks)).toBe(true);
    await until('the answer in the lead’s thread', inThread('岡田 誠', 'ご検討時期: 3ヶ月以内'));
    // The next question replaced the first one's buttons.
    const interests = await poll('the interest question', async () => {
      const items = quickRepliesOf(await state(), okada);
      return items.some((q) => q.action.label === '資金計画') ? items : undefined;
    });
    expect(interests.some((q) => q.action.label === '3ヶ月以内')).toBe(false);
    await tap(okada, '資金計画');
    await until('the interest in the lead’s thread', inThread('岡田 誠', '特に気になること: 資金計画'));
  });

  it('a week later the first step message arrives on the phone, and the thread notes it', async () => {
    expect((await post('clock', { jump: '1w' })).status).toBe(200);
    expect((await state()).jobs.some((j) => j.job === 'step-dispatch' && j.ran)).toBe(true);
    const step = await until('the first step message', botSaid(okada, 'こんにちは', 'push'));
    expect(step.message.text).toBe(
      `岡田 誠様、こんにちは。${SANDBOX_COMPANY_NAME}です。\n資金計画でよくいただくご質問をまとめました。`,
    );
    await until('the step line in the thread', inThread('岡田 誠', 'ステップ配信: 3ヶ月以内のお客様へ 1/5'));
  });

  it('writing back pauses the sequence, which the owner’s thread says', async () => {
    await post(`line/${okada}/message`, { type: 'text', text: '資金計画の相談をしたいです' });
    await until('the relayed message', inThread('岡田 誠', '資金計画の相談をしたいです'));
    await until(
      'the pause line',
      inThread(
        '岡田 誠',
        'お客様から返信があったため、ステップ配信「3ヶ月以内のお客様へ」を一時停止しました。',
      ),
    );
  });

  it('配信停止 gets its confirmation on the phone and a line in the thread, and 配信再開 turns it back', async () => {
    expect((await post(`line/${okada}/message`, { type: 'text', text: '配信停止' })).status).toBe(200);
    const confirmation = await until(
      'the confirmation',
      botSaid(okada, 'ステップ配信を停止しました', 'reply'),
    );
    expect(confirmation.message.text).toContain('「配信再開」');
    const s = await state();
    const keyword = logOf(s, okada).find((i) => i.from === 'lead' && i.message.text === '配信停止');
    expect(shownBefore(logOf(s, okada), keyword, confirmation)).toBe(true);
    await until('the opt-out line', inThread('岡田 誠', 'ステップ配信をすべて停止しました'));
    // The keyword is not relayed to the owner as a question.
    expect(
      threadOf(await state(), '岡田 誠').some(
        (m) => m.userName?.endsWith('(LINE)') && m.text.includes('配信停止'),
      ),
    ).toBe(false);

    await post(`line/${okada}/message`, { type: 'text', text: '配信再開' });
    await until('the opt-in answer', botSaid(okada, 'ステップ配信を再開しました', 'reply'));
    await until('the opt-in line', inThread('岡田 誠', '配信再開のキーワード'));
  });

  it('the same step due for several leads goes by one multicast, shown on each recipient’s phone', async () => {
    const leads = [await befriend('多田 一郎'), await befriend('多田 二郎')];
    for (const userId of leads) {
      await until('the questionnaire', botSaid(userId, 'ご検討時期は？'));
      await tap(userId, '3ヶ月以内');
      await until('the thanks', botSaid(userId, '教えていただきありがとうございます'));
    }
    // The first step names the lead: one push each.
    await post('clock', { jump: '1w' });
    for (const userId of leads) await until('the first step', botSaid(userId, 'こんにちは', 'push'));
    // The second, a week or so after the first, is the same for both: one multicast. Two jumps
    // always reach it: it is due at 10:00 on the first day at least 7 days after the first step.
    await post('clock', { jump: '1w' });
    await post('clock', { jump: '1w' });
    for (const userId of leads)
      await until('the second step', botSaid(userId, '土地探しのヒントです', 'multicast'));
    const multicast = running.line.multicasts.find((m) =>
      m.messages.some((message) => String(message.text).includes('土地探しのヒントです')),
    );
    expect(multicast?.to).toEqual(expect.arrayContaining(leads));
  });
  it('counts fires in a row of the every-minute jobs in one line of the job history', async () => {
    const { sandbox } = running;
    // What the ticker does every 15 seconds: the clock reaches the next minute, due jobs run.
    for (let i = 0; i < 3; i++) {
      const now = sandbox.clock.now().getTime();
      sandbox.clock.jumpTo(new Date((Math.floor(now / 60_000) + 1) * 60_000 + 1_000));
      await sandbox.runDueJobs();
    }
    const { jobs } = await state();
    expect(jobs.slice(-2).map((j) => j.job)).toEqual(['speed-to-lead', 'step-dispatch']);
    for (const run of jobs.slice(-2)) expect(run.times).toBeGreaterThanOrEqual(3);
    // The week's jumps before left one line each.
    expect(jobs.filter((j) => j.job === 'morning-digest').length).toBeGreaterThan(1);
  });
});

describe('npm run sandbox', () => {
  // `npm run sandbox` as a person runs it: npm, and under it the node that serves. A signal to
  // either one must stop both, with nothing left serving.
  for (const { signal, to } of [
    { signal: 'SIGTERM', to: 'npm' },
    { signal: 'SIGINT', to: 'npm' },
    { signal: 'SIGTERM', to: 'node' },
  ] as const) {
    it(`prints one URL that serves the page, and ${signal} to ${to} stops it cleanly`, async () => {
      const started = await startNpmSandbox();
      try {
        expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox$/);
        expect((await fetch(started.url)).status).toBe(200);
        const node = started.descendants.find((pid) => commandOf(pid).includes('adapters/sandbox/main.ts'));
        expect(node, `a node process serving under npm (${started.descendants.join(', ')})`).toBeDefined();
        process.kill(to === 'npm' ? (started.npm.pid as number) : (node as number), signal);
        const { code } = await poll('npm to exit', async () => started.exit(), 60_000);
        await poll('every process under npm to end', async () =>
          started.descendants.every((pid) => !isRunning(pid)),
        );
        expect(
          await fetch(started.url).then(
            () => 'still serving',
            () => 'stopped',
          ),
        ).toBe('stopped');
        // Stopped by its own shutdown (exit 0), not killed half-way.
        expect(code).toBe(0);
      } finally {
        for (const pid of [...started.descendants, started.npm.pid as number]) {
          if (isRunning(pid)) process.kill(pid, 'SIGKILL');
        }
      }
    }, 150_000);
  }

  it('refuses a port that is not a number, with a message saying what to set', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, ['adapters/sandbox/main.ts'], {
      env: { ...process.env, SANDBOX_PORT: 'eighty' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SANDBOX_PORT must be a port number');
  });
});

describe('the quick start’s npm install', () => {
  it('has every install script it runs approved in allowScripts, so npm warns about none', async () => {
    const { execFileSync } = await import('node:child_process');
    const listed = JSON.parse(
      execFileSync('npm', ['install-scripts', 'ls', '--json'], { encoding: 'utf8' }),
    ) as {
      allowScripts: { name: string }[];
    };
    expect(listed.allowScripts.map((p) => p.name)).toEqual([]);
  });
});

describe('outside the sandbox', () => {
  it('mounts no sandbox route on the normal service', async () => {
    const app = await startTestApp();
    try {
      expect((await fetch(`${app.url}/sandbox`)).status).toBe(404);
      expect((await fetch(`${app.url}/sandbox/api/state`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

/** `npm run sandbox` on a free port, once it has printed its URL, with every process under npm. */
async function startNpmSandbox() {
  const { spawn } = await import('node:child_process');
  const npm = spawn('npm', ['run', '--silent', 'sandbox'], {
    env: { ...process.env, SANDBOX_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exit: { code: number | null } | undefined;
  npm.once('exit', (code) => {
    exit = { code };
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    // A deadline, not a timing assert: a loaded 2-core machine can take long to boot PGlite.
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 110_000);
    npm.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /tsuikyaku sandbox: (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    npm.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    npm.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
  return { npm, url, exit: () => exit, descendants: descendantsOf(npm.pid as number) };
}

function descendantsOf(pid: number): number[] {
  const children: number[] = [];
  for (const task of safeReadDir(`/proc/${pid}/task`)) {
    const listed = safeRead(`/proc/${pid}/task/${task}/children`);
    children.push(...listed.split(/\s+/).filter(Boolean).map(Number));
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

function commandOf(pid: number): string {
  return safeRead(`/proc/${pid}/cmdline`).replaceAll('\0', ' ');
}

/** Alive and not a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  const stat = safeRead(`/proc/${pid}/stat`);
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function safeReadDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

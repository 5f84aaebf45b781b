import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../../../adapters/slack/fake/fake-slack-api.ts';

/*
 * The fake Slack takes files the way Slack does since files.upload was retired:
 * files.getUploadURLExternal, the bytes POSTed to the URL it gave (served by the fake itself), then
 * files.completeUploadExternal to share them in a channel or thread. The real SDK's filesUploadV2
 * does the three calls; the fake keeps the bytes so tests can check what arrived.
 */

const TOKEN = 'xoxb-fake-uploads';
/** The 8-byte PNG signature and an IHDR chunk's start: enough to tell a PNG from anything else. */
const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0xff,
  0x10,
]);

let slack: FakeSlackApi;
let client: WebClient;

beforeAll(async () => {
  slack = await startFakeSlackApi({ botToken: TOKEN });
  slack.addUser({ id: 'U0UPLOAD01', name: 'manager' });
  client = new WebClient(TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await slack?.close();
});

describe('fake Slack file uploads', () => {
  it('keeps the bytes the SDK uploads and shares the file in the thread with its comment', async () => {
    const dm = await client.conversations.open({ users: 'U0UPLOAD01' });
    const channel = dm.channel?.id as string;
    const parent = await client.chat.postMessage({ channel, text: '集計結果' });
    const result = await client.filesUploadV2({
      channel_id: channel,
      thread_ts: parent.ts as string,
      initial_comment: '初回返信の分布です',
      file: PNG,
      filename: 'first-response.png',
      title: '初回返信',
      alt_text: '初回返信の分布',
    });
    expect(result.ok).toBe(true);
    const [upload] = slack.uploads;
    expect(upload?.bytes?.equals(PNG)).toBe(true);
    expect(upload).toMatchObject({
      filename: 'first-response.png',
      length: PNG.length,
      altText: '初回返信の分布',
      completed: { title: '初回返信', channel, threadTs: parent.ts, initialComment: '初回返信の分布です' },
    });
    const shared = slack.messages.find((m) => m.ts === upload?.completed?.messageTs);
    expect(shared).toMatchObject({
      channel,
      threadTs: parent.ts,
      text: '初回返信の分布です',
      files: [{ id: upload?.fileId, name: 'first-response.png', title: '初回返信' }],
    });
  });

  it('takes a CSV as text, byte for byte (a BOM and Japanese included)', async () => {
    const csv = Buffer.from('\uFEFF名前,金額\r\n山田 太郎,35000000\r\n', 'utf8');
    const dm = await client.conversations.open({ users: 'U0UPLOAD01' });
    await client.filesUploadV2({ channel_id: dm.channel?.id as string, file: csv, filename: 'leads.csv' });
    expect(slack.uploads.at(-1)?.bytes?.equals(csv)).toBe(true);
  });

  it('lists a shared file on its message in conversations.history, as Slack does', async () => {
    const dm = await client.conversations.open({ users: 'U0UPLOAD01' });
    const channel = dm.channel?.id as string;
    await client.filesUploadV2({ channel_id: channel, file: PNG, filename: 'listed.png', title: '一覧' });
    const history = await client.conversations.history({ channel, limit: 1 });
    const upload = slack.uploads.at(-1);
    expect(history.messages?.[0]).toMatchObject({
      upload: true,
      files: [{ id: upload?.fileId, name: 'listed.png', title: '一覧' }],
    });
  });

  it('completes a share whose answer is lost, as Slack would have (lose_answer)', async () => {
    const dm = await client.conversations.open({ users: 'U0UPLOAD01' });
    const url = await client.files.getUploadURLExternal({ filename: 'lost.csv', length: 3 });
    await fetch(url.upload_url as string, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    slack.failNext('files.completeUploadExternal', 'lose_answer');
    await expect(
      client.files.completeUploadExternal({
        files: [{ id: url.file_id as string }],
        channel_id: dm.channel?.id as string,
      }),
    ).rejects.toThrow();
    expect(slack.uploads.at(-1)?.completed).toMatchObject({ channel: dm.channel?.id });
  });

  it('refuses an upload URL without a length, and completing a file that was never uploaded', async () => {
    await expect(client.files.getUploadURLExternal({ filename: 'x.png', length: 0 })).rejects.toThrow(
      /invalid_arguments/,
    );
    const url = await client.files.getUploadURLExternal({ filename: 'x.png', length: 10 });
    await expect(
      client.files.completeUploadExternal({ files: [{ id: url.file_id as string }] }),
    ).rejects.toThrow(/file_not_found/);
    // Fewer bytes than announced: Slack does not take the file.
    await fetch(url.upload_url as string, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    await expect(
      client.files.completeUploadExternal({ files: [{ id: url.file_id as string }] }),
    ).rejects.toThrow(/file_upload_size_mismatch/);
  });

  it('fails the completion for a user id instead of a conversation id, and shares nothing', async () => {
    const before = slack.messages.length;
    await expect(
      client.filesUploadV2({ channel_id: 'U0UPLOAD01', file: PNG, filename: 'chart.png' }),
    ).rejects.toThrow(/channel_not_found/);
    expect(slack.messages.length).toBe(before);
    expect(slack.uploads.at(-1)?.completed).toBeNull();
  });
});

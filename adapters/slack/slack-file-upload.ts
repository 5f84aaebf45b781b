import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import type { WebClient } from '@slack/web-api';
import { DeliveryError } from '../../src/errors.ts';
import type { SlackFile, SlackFileShared, SlackPostKey } from '../../src/ports.ts';
import { findRecentMessage, openDm, USER_ID } from './slack-post-tags.ts';

/** A minute, plus a second per 256 KB: a 100 MB export gets 7 minutes. The outbox renews its lease. */
const uploadTimeoutMs = (bytes: number) => 60_000 + Math.ceil(bytes / 262_144) * 1000;

/**
 * The name a row's file carries, so that a retry can recognise its own share: `report.csv` ->
 * `report_123.csv`. A file share has no message metadata to carry the outbox id instead.
 */
export function taggedFilename(filename: string, outboxId: number): string {
  const ext = extname(filename);
  return `${filename.slice(0, filename.length - ext.length)}_${outboxId}${ext}`;
}

/**
 * Uploads the way Slack takes files since files.upload was retired:
 * files.getUploadURLExternal (name and length), the bytes POSTed to the URL it gives, then
 * files.completeUploadExternal to share the file in a conversation (a C, G or D id: a user id is
 * opened as a DM first). A file on disk is streamed, never read whole. With `key.recheck`, a share
 * of the same tagged name since the row was written is returned instead of uploading again.
 * https://docs.slack.dev/messaging/working-with-files#uploading_files
 * Errors are the SDK's (or DeliveryError for the upload POST); the caller maps them.
 */
export async function uploadSlackFile(
  client: WebClient,
  file: SlackFile,
  key: SlackPostKey | undefined,
): Promise<SlackFileShared> {
  const channelId = USER_ID.test(file.channel) ? await openDm(client, file.channel) : file.channel;
  if (!channelId) throw new DeliveryError('never', `Slack opened no DM with ${file.channel}`);
  const filename = key ? taggedFilename(file.filename, key.outboxId) : file.filename;
  if (key?.recheck) {
    const shared = await findRecentMessage(client, channelId, file.threadTs, key.since, (m) =>
      (m.files ?? []).some((f) => f.name === filename),
    );
    const fileId = shared?.files?.find((f) => f.name === filename)?.id;
    if (fileId) return { channelId, fileId };
  }
  const length = 'path' in file.content ? (await stat(file.content.path)).size : file.content.byteLength;
  // Slack refuses an empty file (invalid_arguments); retrying would not change that.
  if (length === 0) throw new DeliveryError('never', `Slack takes no empty file (${filename})`);
  const target = await client.files.getUploadURLExternal({
    filename,
    length,
    ...(file.altText ? { alt_text: file.altText } : {}),
  });
  if (!target.upload_url || !target.file_id)
    throw new DeliveryError('never', 'Slack answered without an upload URL');
  await postBytes(target.upload_url, file.content, length);
  await client.files.completeUploadExternal({
    files: [{ id: target.file_id, title: file.title }],
    channel_id: channelId,
    ...(file.threadTs ? { thread_ts: file.threadTs } : {}),
    ...(file.comment ? { initial_comment: file.comment } : {}),
  });
  return { channelId, fileId: target.file_id };
}

/** The bytes, as the body of one POST (Slack takes raw bytes as well as a multipart form). */
async function postBytes(url: string, content: SlackFile['content'], length: number): Promise<void> {
  const body =
    'path' in content ? (Readable.toWeb(createReadStream(content.path)) as ReadableStream) : content;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      // A stream body is sent as it is read; the length is known, so no chunked encoding.
      duplex: 'half',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
      signal: AbortSignal.timeout(uploadTimeoutMs(length)),
    } as RequestInit);
    await response.arrayBuffer();
  } catch (error) {
    throw new DeliveryError(
      'later',
      `Slack upload unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) {
    const status = response.status;
    const retry = status >= 500 || status === 408 || status === 429 ? 'later' : 'never';
    throw new DeliveryError(retry, `Slack upload HTTP ${status}`, { status });
  }
}

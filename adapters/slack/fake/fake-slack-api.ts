// Stateful fake of the Slack Web API over real HTTP, so tests exercise the genuine @slack/web-api
// client (serialisation, retries, error classes) rather than a mocked one.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeWorkspace } from './fake-slack-workspace.ts';

export interface FakeSlackCall {
  method: string;
  body: Record<string, unknown>;
  token: string | undefined;
  /** 0 while the answer is pending (latency) and for 'hang' calls, which never get one. */
  status: number;
  at: number;
  response: unknown;
}

/** Message metadata in Slack's own shape: https://docs.slack.dev/messaging/message-metadata */
export interface FakeSlackMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown[];
  metadata?: FakeSlackMetadata;
  user?: string;
  botId?: string;
  /** The name and icon a bot post chose for itself (chat:write.customize): Slack shows them instead of the app's. */
  username?: string;
  iconUrl?: string;
  iconEmoji?: string;
  updatedAt?: number;
  reactions: string[];
  ephemeralFor?: string;
  /** Files shared with the message (files.completeUploadExternal). */
  files?: Array<{ id: string; name: string; title: string }>;
}

/**
 * A file uploaded the way Slack wants since files.upload was retired: files.getUploadURLExternal,
 * a POST of the bytes to the URL it gave, then files.completeUploadExternal to share it.
 */
export interface FakeSlackUpload {
  fileId: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  altText: string | null;
  /** What was POSTed to the upload URL; null until then. */
  bytes: Buffer | null;
  /** Set by files.completeUploadExternal. */
  completed: null | {
    title: string;
    channel: string | null;
    threadTs: string | null;
    initialComment: string | null;
    messageTs: string | null;
  };
}

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  isBot?: boolean;
}

export type FakeSlackFailure =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { error: string }
  | 'hang'
  /** The call takes effect (a post is stored), then the connection drops before the answer: a
   * crash or network cut after Slack received it. */
  | 'lose_answer'
  /** The call takes effect, and the answer never comes (the caller crashes or times out waiting). */
  | 'apply_then_hang';

export interface FakeSlackApi {
  /** Give this to WebClient as `slackApiUrl`. */
  url: string;
  origin: string;
  calls: FakeSlackCall[];
  messages: FakeSlackMessage[];
  /** Files uploaded, in the order their upload URLs were asked for. */
  uploads: FakeSlackUpload[];
  responses: Array<{ id: string; body: Record<string, unknown>; at: number }>;
  responseUrl(id?: string): string;
  addUser(user: FakeSlackUser): void;
  dmChannelOf(userId: string): string;
  thread(channel: string, threadTs: string): FakeSlackMessage[];
  /** Takes a message out of the workspace, as chat.delete does (`messages` is not to be edited directly). */
  removeMessage(message: FakeSlackMessage): void;
  /** Records a message a person typed in Slack (the app learns of it through an event the caller sends). */
  userPost(args: { channel: string; user: string; text: string; threadTs?: string }): FakeSlackMessage;
  failNext(method: string, ...failures: FakeSlackFailure[]): void;
  setDown(down: boolean, failure?: FakeSlackFailure): void;
  waitFor<T>(pred: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  onCall(listener: (call: FakeSlackCall) => void): () => void;
  /** Called after each post to a response_url has been recorded in `responses`. */
  onResponse(listener: (response: FakeSlackApi['responses'][number]) => void): () => void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeSlackApiOptions {
  port?: number;
  host?: string;
  /** When set, calls with any other token answer invalid_auth (or not_authed without a token). */
  botToken?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  latencyMs?: number;
}

type Body = Record<string, unknown>;

const MAX_BODY_BYTES = 5 * 1024 * 1024;
// Free-text fields must stay strings even when a user types something that happens to be JSON.
const TEXT_FIELDS = new Set(['text', 'markdown_text']);

// @slack/web-api form-encodes every argument and JSON-stringifies non-primitives (blocks, view, ...).
function decodeValue(key: string, value: unknown): unknown {
  if (typeof value !== 'string' || TEXT_FIELDS.has(key) || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function parseBody(raw: string, contentType: string | undefined, query: URLSearchParams): Body | undefined {
  const entries: Array<[string, unknown]> = [...query.entries()];
  if (contentType?.includes('application/json')) {
    if (raw.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return undefined;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
      entries.push(...Object.entries(parsed));
    }
  } else {
    entries.push(...new URLSearchParams(raw).entries());
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, decodeValue(k, v)]));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The file in an upload POST: the first file part of a multipart form (the SDK's way), else the raw body. */
async function uploadedBytes(raw: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return raw;
  const form = await new Response(new Uint8Array(raw), {
    headers: { 'content-type': contentType },
  }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  throw new Error('the multipart upload holds no file');
}

function defaultFailureBody(status: number): Body {
  const error =
    status === 429
      ? 'ratelimited'
      : status === 500
        ? 'internal_error'
        : status === 503
          ? 'service_unavailable'
          : status === 408 || status === 504
            ? 'request_timeout'
            : 'fatal_error';
  return { ok: false, error };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  const isText = typeof body === 'string';
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    ...headers,
  });
  res.end(isText ? body : JSON.stringify(body));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function originOf(host: string, port: number): string {
  // A wildcard bind address is not something a client can connect to.
  const connectHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${connectHost.includes(':') ? `[${connectHost}]` : connectHost}:${port}`;
}

export async function startFakeSlackApi(opts: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const host = opts.host ?? '127.0.0.1';
  const latencyMs = opts.latencyMs ?? 0;
  const workspace = createFakeWorkspace({
    botUserId: opts.botUserId ?? 'U0FAKEBOT',
    botId: opts.botId ?? 'B0FAKEBOT',
    teamId: opts.teamId ?? 'T0FAKETEAM',
  });
  const calls: FakeSlackCall[] = [];
  const uploads: FakeSlackUpload[] = [];
  let uploadSeq = 0;

  /** files.getUploadURLExternal and files.completeUploadExternal; undefined for other methods. */
  function fileMethod(method: string, body: Body): Body | undefined {
    if (method === 'files.getUploadURLExternal') {
      const length = Number(body.length);
      if (typeof body.filename !== 'string' || body.filename === '')
        return { ok: false, error: 'invalid_arguments' };
      if (!Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
      const fileId = `F${String(++uploadSeq).padStart(10, '0')}`;
      uploads.push({
        fileId,
        filename: body.filename,
        length,
        altText: typeof body.alt_text === 'string' ? body.alt_text : null,
        bytes: null,
        completed: null,
      });
      return { ok: true, upload_url: `${origin}/upload/${fileId}`, file_id: fileId };
    }
    if (method === 'files.completeUploadExternal') {
      const files = Array.isArray(body.files) ? (body.files as Array<{ id?: unknown; title?: unknown }>) : [];
      if (files.length === 0) return { ok: false, error: 'invalid_arguments' };
      const found = files.map((f) => ({ upload: uploads.find((u) => u.fileId === f.id), title: f.title }));
      if (found.some(({ upload }) => !upload || upload.bytes === null || upload.completed))
        return { ok: false, error: 'file_not_found' };
      if (found.some(({ upload }) => upload?.bytes?.length !== upload?.length))
        return { ok: false, error: 'file_upload_size_mismatch' };
      const titled = found.map(({ upload, title }) => ({
        upload: upload as FakeSlackUpload,
        title: typeof title === 'string' && title !== '' ? title : (upload as FakeSlackUpload).filename,
      }));
      const channel = typeof body.channel_id === 'string' ? body.channel_id : null;
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : null;
      const initialComment = typeof body.initial_comment === 'string' ? body.initial_comment : null;
      let messageTs: string | null = null;
      // A conversation id (C, G or D): unlike chat.postMessage, a user id is not taken here.
      if (channel !== null && !/^[CGD][A-Z0-9]{2,}$/.test(channel))
        return { ok: false, error: 'channel_not_found' };
      if (channel !== null) {
        // Shared in a channel: a message carrying the files (and the comment as its text).
        const posted = workspace.handle('chat.postMessage', {
          channel,
          text: initialComment ?? titled.map((f) => f.title).join(', '),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        }) as { ok: boolean; ts?: string; error?: string };
        if (!posted.ok || !posted.ts) return { ok: false, error: posted.error ?? 'channel_not_found' };
        messageTs = posted.ts;
        const message = workspace.find(channel, posted.ts);
        if (message)
          message.files = titled.map(({ upload, title }) => ({
            id: upload.fileId,
            name: upload.filename,
            title,
          }));
      }
      for (const { upload, title } of titled)
        upload.completed = { title, channel, threadTs, initialComment, messageTs };
      return { ok: true, files: titled.map(({ upload, title }) => ({ id: upload.fileId, title })) };
    }
    return undefined;
  }
  const responses: FakeSlackApi['responses'] = [];
  const failQueues = new Map<string, FakeSlackFailure[]>();
  const listeners = new Set<(call: FakeSlackCall) => void>();
  const responseListeners = new Set<(response: FakeSlackApi['responses'][number]) => void>();
  let downFailure: FakeSlackFailure | undefined;
  let responseSeq = 0;
  let closed = false;
  let closing: Promise<void> | undefined;

  function notify(call: FakeSlackCall): void {
    for (const listener of listeners) {
      try {
        listener(call);
      } catch (error) {
        // A broken listener must not turn into a fake Slack outage for the code under test.
        console.error('fake-slack-api: onCall listener threw', error);
      }
    }
  }

  function authError(token: string | undefined): string | undefined {
    if (opts.botToken === undefined || token === opts.botToken) return undefined;
    return token === undefined || token === '' ? 'not_authed' : 'invalid_auth';
  }

  async function handleApiCall(
    method: string,
    body: Body,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof body.token === 'string' ? body.token : undefined);
    const call: FakeSlackCall = { method, body, token, status: 0, at: Date.now(), response: undefined };
    calls.push(call);
    // Decided on arrival so concurrent calls consume scripted failures in the order they were sent.
    const failure = downFailure ?? failQueues.get(method)?.shift();
    if (failure === 'hang') {
      // Left open on purpose: close() destroys the socket, or the client gives up first.
      notify(call);
      return;
    }
    if (latencyMs > 0) await sleep(latencyMs);
    if (closed) return;

    let status = 200;
    let headers: Record<string, string> = {};
    let payload: unknown;
    if (failure === 'apply_then_hang') {
      call.response = fileMethod(method, body) ?? workspace.handle(method, body);
      notify(call);
      return;
    }
    if (failure === 'lose_answer') {
      call.response = fileMethod(method, body) ?? workspace.handle(method, body);
      res.destroy();
      notify(call);
      return;
    }
    if (failure === undefined) {
      const denied = authError(token);
      payload = denied
        ? { ok: false, error: denied }
        : (fileMethod(method, body) ?? workspace.handle(method, body));
    } else if ('error' in failure) {
      payload = { ok: false, error: failure.error };
    } else {
      status = failure.status;
      // Real Slack always sends Retry-After with a 429; pass explicit headers to test without it.
      headers = failure.headers ?? (status === 429 ? { 'Retry-After': '1' } : {});
      payload = failure.body ?? defaultFailureBody(status);
    }
    call.status = status;
    call.response = payload;
    send(res, status, headers, payload);
    notify(call);
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const rawBytes = await readBody(req);
    const uploadMatch = /^\/upload\/(F\d+)$/.exec(url.pathname);
    if (uploadMatch && req.method === 'POST') {
      const upload = uploads.find((u) => u.fileId === uploadMatch[1]);
      if (!upload || upload.completed) return send(res, 404, {}, 'not_found');
      if (latencyMs > 0) await sleep(latencyMs);
      upload.bytes = await uploadedBytes(rawBytes, req.headers['content-type']);
      return send(res, 200, {}, `OK - ${upload.bytes.length}`);
    }
    const raw = rawBytes.toString('utf8');
    const body = parseBody(raw, req.headers['content-type'], url.searchParams);
    const apiMatch = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (apiMatch?.[1]) {
      if (!body) return send(res, 200, {}, { ok: false, error: 'invalid_json' });
      return handleApiCall(apiMatch[1], body, req, res);
    }
    const responseMatch = /^\/response\/([^/]+)$/.exec(url.pathname);
    if (responseMatch?.[1] && req.method === 'POST') {
      if (!body) return send(res, 400, {}, 'invalid_payload');
      if (latencyMs > 0) await sleep(latencyMs);
      // replace_original / delete_original only matter to the observer, so they are recorded, not applied.
      const response = { id: decodeURIComponent(responseMatch[1]), body, at: Date.now() };
      responses.push(response);
      send(res, 200, {}, 'ok');
      for (const listener of responseListeners) {
        try {
          listener(response);
        } catch (error) {
          console.error('fake-slack-api: onResponse listener threw', error);
        }
      }
      return;
    }
    send(res, 404, {}, 'not_found');
  }

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      send(res, 500, {}, `fake-slack-api: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const origin = originOf(host, (server.address() as AddressInfo).port);

  function describeRecentCalls(): string {
    const recent = calls.slice(-5).map((c) => {
      const error = (c.response as { error?: unknown } | undefined)?.error;
      return `${c.method} -> ${c.status}${typeof error === 'string' ? ` ${error}` : ''}`;
    });
    return recent.length ? recent.join(', ') : 'none';
  }

  return {
    url: `${origin}/api/`,
    origin,
    calls,
    messages: workspace.messages,
    uploads,
    responses,
    responseUrl: (id) => `${origin}/response/${encodeURIComponent(id ?? `r${++responseSeq}`)}`,
    addUser: (user) => {
      workspace.users.set(user.id, { ...user });
    },
    dmChannelOf: workspace.dmChannelOf,
    removeMessage: workspace.remove,
    thread: workspace.thread,
    userPost: workspace.userPost,
    failNext: (method, ...failures) => {
      failQueues.set(method, [...(failQueues.get(method) ?? []), ...failures]);
    },
    setDown: (down, failure = { status: 503 }) => {
      downFailure = down ? failure : undefined;
    },
    async waitFor<T>(pred: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let lastError: unknown;
      for (;;) {
        try {
          const value = pred();
          if (value) return value;
          lastError = undefined;
        } catch (error) {
          // Predicates often index into state that is not there yet; keep polling but report it.
          lastError = error;
        }
        if (Date.now() >= deadline) {
          const why = lastError instanceof Error ? `; predicate last threw: ${lastError.message}` : '';
          throw new Error(
            `fake Slack waitFor timed out after ${timeoutMs}ms${why}; ${calls.length} calls, ` +
              `${workspace.messages.length} messages, ${responses.length} responses; recent calls: ${describeRecentCalls()}`,
            { cause: lastError },
          );
        }
        await sleep(10);
      }
    },
    onCall: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    onResponse: (listener) => {
      responseListeners.add(listener);
      return () => {
        responseListeners.delete(listener);
      };
    },
    reset: () => {
      calls.length = 0;
      uploads.length = 0;
      responses.length = 0;
      failQueues.clear();
      downFailure = undefined;
      workspace.reset();
    },
    close: () => {
      closed = true;
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung calls and keep-alive sockets would otherwise hold close() open forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

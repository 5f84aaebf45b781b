// Stateful fake of the LINE Messaging API for tests and the browser sandbox.
// Every request is validated against the vendored official spec so a request
// the fake accepts is one the real API would accept too.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OpenAPIBackend } from 'openapi-backend';
import { getMessagingApiBackend, matchLineOperation, validateLineRequest } from './line-spec-validator.ts';
import { nextMessageId, randomQuoteToken, randomReplyToken } from './line-webhook-events.ts';

export interface FakeLineCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** HTTP status sent; 0 when the call was scripted to hang. */
  status: number;
  at: number;
  valid: boolean;
  validationErrors?: string[];
}
export interface FakeLinePush {
  to: string;
  messages: Array<Record<string, unknown>>;
  retryKey: string | undefined;
  requestId: string;
  at: number;
}
export interface FakeLineMulticast {
  to: string[];
  messages: Array<Record<string, unknown>>;
  retryKey: string | undefined;
  requestId: string;
  at: number;
}
export interface FakeLineReply {
  replyToken: string;
  messages: Array<Record<string, unknown>>;
  at: number;
}
export type FakeLineFailure = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';
export interface FakeLineProfile {
  displayName: string;
  pictureUrl?: string;
  statusMessage?: string;
  language?: string;
}

/** Requests per second the fake lets through, per operation; an absent key means no limit. */
export interface FakeLineRateLimits {
  pushPerSecond?: number;
  multicastPerSecond?: number;
}

export interface FakeLineApi {
  /** e.g. http://127.0.0.1:PORT; routes live at the root because the SDK drops base-URL path prefixes. */
  url: string;
  /** Every request, in the order they were answered (hung calls when they started hanging). */
  calls: FakeLineCall[];
  /** Pushes actually accepted (first time per retry key), in order. */
  pushes: FakeLinePush[];
  multicasts: FakeLineMulticast[];
  replies: FakeLineReply[];
  /**
   * A reply token as the LINE Platform puts one in a webhook event: the reply API accepts it once,
   * within a minute of issue by the fake's clock. The webhook-event builders take their tokens here.
   */
  issueReplyToken(): string;
  setProfile(userId: string, profile: FakeLineProfile): void;
  /**
   * Queue scripted failures for the next calls to a route ('push' | 'reply' |
   * 'multicast' | 'profile' | 'loading' | 'quota' | 'consumption', or any spec
   * operationId). A failed call is not accepted: no retry key or reply token is used up.
   */
  failNext(
    route: 'push' | 'reply' | 'profile' | 'loading' | (string & Record<never, never>),
    ...failures: FakeLineFailure[]
  ): void;
  /** Pushes to a blocked user still get 200 (as on LINE); their profile 404s. */
  setBlocked(userId: string, blocked: boolean): void;
  /**
   * The month's message limit: getMessageQuota answers `{type:'limited', value: limit}`, or
   * `{type:'none'}` for null (the default). With a limit, a push or multicast that would take
   * totalUsage above it gets 429 "You have reached your monthly limit." and is not accepted (its
   * retry key stays unused). Replies are free and never refused. reset() takes the limit away.
   */
  setQuota(limit: number | null): void;
  /**
   * Pretends `used` messages went out earlier this month, outside this fake: getMessageQuotaConsumption's
   * totalUsage is `used` plus what the fake accepted (one per push, one per multicast recipient),
   * and the limit of setQuota counts both. Replaces the previous value; reset() sets it to 0.
   */
  setConsumption(used: number): void;
  /**
   * Per-second request limits for push and multicast, replacing the ones given so far and
   * forgetting the requests counted. A request to the operation that comes when `limit` others
   * were let through in the last 1000 ms (by the `now` clock) gets 429 "The API rate limit has been
   * exceeded. Try again later." and is not accepted. Counted are the requests let through (even one
   * then answered 409 or refused for the monthly limit), not those refused by the rate limit, nor
   * those answered before it (auth, validation, scripted failures). reset() goes back to the
   * options' limits.
   */
  setRateLimits(limits: FakeLineRateLimits): void;
  /** Polls `pred` every 10 ms until it returns a truthy value (throwing counts as "not yet"). */
  waitFor<T>(pred: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  onRequest(listener: (call: FakeLineCall) => void): () => void;
  /**
   * Clears calls, pushes, replies, failures, retry keys, issued reply tokens, the quota limit and
   * the earlier consumption; rate limits go back to the options' (windows emptied). Keeps profiles
   * and blocks.
   */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeLineApiOptions {
  port?: number;
  host?: string;
  channelAccessToken?: string;
  latencyMs?: number;
  /**
   * Milliseconds since the epoch by which reply tokens age and the rate-limit windows slide
   * (default Date.now), so tests need not wait.
   */
  now?: () => number;
  /** Per-second limits on push and multicast requests (none by default); see setRateLimits. */
  rateLimits?: FakeLineRateLimits;
}

const ROUTE_ALIASES: Record<string, string> = {
  push: 'pushMessage',
  reply: 'replyMessage',
  multicast: 'multicast',
  profile: 'getProfile',
  loading: 'showLoadingAnimation',
  quota: 'getMessageQuota',
  consumption: 'getMessageQuotaConsumption',
};

// LINE accepts a reply token once, within one minute of the webhook:
// https://developers.line.biz/en/docs/messaging-api/sending-messages/#send-reply-messages
const REPLY_TOKEN_LIFETIME_MS = 60_000;

// The 429 bodies LINE sends for a spent monthly quota and for a rate limit:
// https://developers.line.biz/en/reference/messaging-api/#error-messages
const MONTHLY_LIMIT_BODY = { message: 'You have reached your monthly limit.' };
const RATE_LIMIT_BODY = { message: 'The API rate limit has been exceeded. Try again later.' };
const RATE_WINDOW_MS = 1000;

// Message types LINE lets users quote, so the API returns a quoteToken for them.
const QUOTABLE = new Set(['text', 'textV2', 'sticker', 'image', 'video']);

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
interface SentMessage {
  id: string;
  quoteToken?: string;
}
type Json = Record<string, unknown>;

function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (raw === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

/**
 * Admits at most `limit` requests in any RATE_WINDOW_MS: the arrival times of those admitted
 * within the window, oldest first, in a ring of `limit` slots, so each check is O(1) amortised.
 */
function rateWindow(limit: number): (at: number) => boolean {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new Error(`fake-line-api: a rate limit must be a whole number >= 0, not ${limit}`);
  }
  const times = new Float64Array(limit);
  let head = 0;
  let size = 0;
  return (at) => {
    while (size > 0) {
      const oldest = times[head];
      if (oldest === undefined || at - oldest < RATE_WINDOW_MS) break;
      head = (head + 1) % limit;
      size -= 1;
    }
    if (size >= limit) return false;
    times[(head + size) % limit] = at;
    size += 1;
    return true;
  };
}

function rateWindows(limits: FakeLineRateLimits = {}): Map<string, (at: number) => boolean> {
  const windows = new Map<string, (at: number) => boolean>();
  if (limits.pushPerSecond !== undefined) windows.set('pushMessage', rateWindow(limits.pushPerSecond));
  if (limits.multicastPerSecond !== undefined)
    windows.set('multicast', rateWindow(limits.multicastPerSecond));
  return windows;
}

function sentMessagesFor(messages: Json[]): SentMessage[] {
  return messages.map((m) =>
    QUOTABLE.has(String(m.type))
      ? { id: nextMessageId(), quoteToken: randomQuoteToken() }
      : { id: nextMessageId() },
  );
}

export async function startFakeLineApi(opts: FakeLineApiOptions = {}): Promise<FakeLineApi> {
  const api: OpenAPIBackend = await getMessagingApiBackend();
  const host = opts.host ?? '127.0.0.1';
  const calls: FakeLineCall[] = [];
  const pushes: FakeLinePush[] = [];
  const multicasts: FakeLineMulticast[] = [];
  const replies: FakeLineReply[] = [];
  const profiles = new Map<string, FakeLineProfile>();
  const blocked = new Set<string>();
  const failures = new Map<string, FakeLineFailure[]>();
  // `${operationId}:${retryKey}` -> what the first accepted request got back.
  const acceptedRetryKeys = new Map<string, { requestId: string; body: unknown }>();
  const now = opts.now ?? Date.now;
  // Issued and not yet used -> when it was issued (by `now`).
  const replyTokens = new Map<string, number>();
  const listeners = new Set<(call: FakeLineCall) => void>();
  const closing = new AbortController();
  let quotaLimit: number | null = null;
  let earlierUsage = 0;
  // Messages accepted since start or reset: one per push, one per multicast recipient.
  let acceptedUsage = 0;
  let admit = rateWindows(opts.rateLimits);

  function record(call: FakeLineCall): void {
    calls.push(call);
    for (const listener of listeners) {
      try {
        listener(call);
      } catch (err) {
        console.error('fake-line-api: onRequest listener threw', err);
      }
    }
  }

  /** `cost`: the messages the request counts against the month's quota (one per recipient). */
  function acceptWithRetryKey(
    operationId: string,
    retryKey: string | undefined,
    cost: number,
    accept: (requestId: string) => unknown,
  ): Reply {
    const memoKey = retryKey && `${operationId}:${retryKey.toLowerCase()}`;
    const previous = memoKey ? acceptedRetryKeys.get(memoKey) : undefined;
    if (previous) {
      const sent = (previous.body as { sentMessages?: unknown }).sentMessages;
      return json(
        409,
        { message: 'The retry key is already accepted', ...(sent ? { sentMessages: sent } : {}) },
        { 'x-line-accepted-request-id': previous.requestId },
      );
    }
    if (quotaLimit !== null && earlierUsage + acceptedUsage + cost > quotaLimit) {
      return json(429, MONTHLY_LIMIT_BODY);
    }
    const requestId = randomUUID();
    const body = accept(requestId);
    acceptedUsage += cost;
    if (memoKey) acceptedRetryKeys.set(memoKey, { requestId, body });
    return json(200, body, { 'x-line-request-id': requestId });
  }

  function handleOperation(
    operationId: string,
    body: Json,
    headers: Record<string, string>,
    path: string,
  ): Reply {
    const at = Date.now();
    const messages = (body.messages ?? []) as Json[];
    const retryKey = headers['x-line-retry-key'];
    switch (operationId) {
      case 'pushMessage':
        return acceptWithRetryKey(operationId, retryKey, 1, (requestId) => {
          pushes.push({ to: String(body.to), messages, retryKey, requestId, at });
          return { sentMessages: sentMessagesFor(messages) };
        });
      case 'multicast': {
        const to = body.to as string[];
        return acceptWithRetryKey(operationId, retryKey, to.length, (requestId) => {
          multicasts.push({ to, messages, retryKey, requestId, at });
          return {};
        });
      }
      case 'replyMessage': {
        const replyToken = String(body.replyToken ?? '');
        const issuedAt = replyTokens.get(replyToken);
        // Made up, used already or expired: LINE gives the same answer for all three.
        replyTokens.delete(replyToken);
        if (issuedAt === undefined || now() - issuedAt > REPLY_TOKEN_LIFETIME_MS)
          return json(400, { message: 'Invalid reply token' });
        replies.push({ replyToken, messages, at });
        return json(200, { sentMessages: sentMessagesFor(messages) });
      }
      case 'getProfile': {
        const userId = decodeURIComponent(path.split('?')[0]?.split('/').pop() ?? '');
        const profile = profiles.get(userId);
        if (!profile || blocked.has(userId)) return json(404, { message: 'Not found' });
        return json(200, { userId, ...profile });
      }
      case 'showLoadingAnimation':
        return json(202, {});
      case 'getMessageQuota':
        return json(200, quotaLimit === null ? { type: 'none' } : { type: 'limited', value: quotaLimit });
      case 'getMessageQuotaConsumption':
        return json(200, { totalUsage: earlierUsage + acceptedUsage });
      default:
        // In the spec but not faked: fail loudly so a test never mistakes it for success.
        return json(501, { message: `fake-line-api does not implement ${operationId}` });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const raw = await readBody(req);
    if (opts.latencyMs) {
      try {
        await sleep(opts.latencyMs, undefined, { signal: closing.signal });
      } catch {
        return; // closed while waiting; close() destroys the socket
      }
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url ?? '/';
    const headers = flattenHeaders(req);
    const parsed = parseJson(raw);
    const call: FakeLineCall = {
      method,
      path,
      headers,
      body: parsed.ok ? parsed.value : raw,
      status: 0,
      at,
      valid: true,
    };

    const send = (reply: Reply): void => {
      call.status = reply.status;
      record(call);
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'x-line-request-id': randomUUID(),
        ...reply.headers,
      });
      res.end(JSON.stringify(reply.body));
    };

    if (
      opts.channelAccessToken !== undefined &&
      headers.authorization !== `Bearer ${opts.channelAccessToken}`
    ) {
      return send(
        json(401, {
          message:
            'Authentication failed. Confirm that the access token in the authorization header is valid.',
        }),
      );
    }
    const operation = matchLineOperation(api, method, path);
    if (!operation?.operationId) return send(json(404, { message: 'Not found' }));
    if (!parsed.ok) {
      call.valid = false;
      call.validationErrors = ['request body is not valid JSON'];
      return send(json(400, { message: 'The request body could not be parsed as JSON' }));
    }

    const { details, invalidHeaders } = validateLineRequest(api, operation, {
      method,
      path,
      headers,
      body: parsed.value as Json | undefined,
    });
    if (invalidHeaders.length > 0 || details.length > 0) {
      call.valid = false;
      call.validationErrors = [
        ...invalidHeaders.map((h) => `${h}: invalid header value`),
        ...details.map((d) => `${d.property}: ${d.message}`),
      ];
      const [header] = invalidHeaders;
      return send(
        header !== undefined
          ? json(400, { message: `The value for the '${header}' header is invalid` })
          : json(400, { message: `The request body has ${details.length} error(s)`, details }),
      );
    }

    const failure = failures.get(operation.operationId)?.shift();
    if (failure === 'hang') {
      record(call); // status stays 0: the socket is left open until the client gives up or close()
      return;
    }
    if (failure) {
      return send(
        json(
          failure.status,
          failure.body ?? { message: STATUS_CODES[failure.status] ?? 'Error' },
          failure.headers,
        ),
      );
    }
    const admitted = admit.get(operation.operationId)?.(now()) ?? true;
    if (!admitted) return send(json(429, RATE_LIMIT_BODY));
    send(handleOperation(operation.operationId, (parsed.value ?? {}) as Json, headers, path));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('fake-line-api: request handler failed', err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `fake-line-api internal error: ${String(err)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}`,
    calls,
    pushes,
    multicasts,
    replies,
    issueReplyToken() {
      const token = randomReplyToken();
      replyTokens.set(token, now());
      return token;
    },
    setProfile(userId, profile) {
      profiles.set(userId, { ...profile });
    },
    failNext(route, ...scripted) {
      const operationId = ROUTE_ALIASES[route] ?? route;
      if (!api.router.getOperation(operationId)) {
        throw new Error(
          `fake-line-api: unknown route "${route}"; use ${Object.keys(ROUTE_ALIASES).join(', ')} or a spec operationId`,
        );
      }
      const queue = failures.get(operationId) ?? [];
      queue.push(...scripted);
      failures.set(operationId, queue);
    },
    setBlocked(userId, isBlocked) {
      if (isBlocked) blocked.add(userId);
      else blocked.delete(userId);
    },
    setQuota(limit) {
      quotaLimit = limit;
    },
    setConsumption(used) {
      earlierUsage = used;
    },
    setRateLimits(limits) {
      admit = rateWindows(limits);
    },
    async waitFor<T>(pred: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let lastError: unknown;
      for (;;) {
        try {
          const value = pred();
          if (value) return value;
        } catch (err) {
          lastError = err;
        }
        if (Date.now() >= deadline) break;
        await sleep(10);
      }
      const recent = calls
        .slice(-5)
        .map((c) => `${c.method} ${c.path} -> ${c.status}`)
        .join('; ');
      throw new Error(
        `fake-line-api waitFor timed out after ${timeoutMs}ms` +
          (lastError ? ` (last error: ${String(lastError)})` : '') +
          ` [${calls.length} calls, ${pushes.length} pushes, ${replies.length} replies; last: ${recent || 'none'}]`,
      );
    },
    onRequest(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    reset() {
      // Truncate in place so references held by callers (e.g. the sandbox) stay live.
      calls.length = 0;
      pushes.length = 0;
      multicasts.length = 0;
      replies.length = 0;
      failures.clear();
      acceptedRetryKeys.clear();
      replyTokens.clear();
      quotaLimit = null;
      earlierUsage = 0;
      acceptedUsage = 0;
      admit = rateWindows(opts.rateLimits);
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((err) => (err ? reject(err) : resolve()));
        // Hung calls and keep-alive sockets would otherwise keep close() pending forever.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { DeliveryError } from '../../src/errors.ts';
import type { LineMessenger } from '../../src/ports.ts';

/** The SDK has no timeout of its own (it is plain fetch), so a hung call is cut here and retried. */
const CALL_TIMEOUT_MS = 10_000;

export function createLineMessenger(options: {
  channelAccessToken: string;
  apiBaseUrl: string;
  timeoutMs?: number;
}): LineMessenger {
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: options.channelAccessToken,
    baseURL: options.apiBaseUrl,
  });
  const timeoutMs = options.timeoutMs ?? CALL_TIMEOUT_MS;
  return {
    async getProfile(userId) {
      try {
        const profile = await withTimeout(client.getProfile(userId), timeoutMs);
        return { displayName: profile.displayName, pictureUrl: profile.pictureUrl ?? null };
      } catch (error) {
        if (error instanceof HTTPFetchError && error.status === 404) return null;
        throw toDeliveryError(error);
      }
    },
    async replyText({ replyToken, texts }) {
      try {
        await withTimeout(
          client.replyMessage({
            replyToken,
            messages: texts.map((text) => ({ type: 'text' as const, text })),
          }),
          timeoutMs,
        );
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    async pushText({ to, texts, senderName, retryKey }) {
      const messages = texts.map((text) => ({ type: 'text' as const, text, sender: { name: senderName } }));
      try {
        await withTimeout(client.pushMessage({ to, messages }, retryKey), timeoutMs);
      } catch (error) {
        // 409: LINE already accepted a request with this retry key, so this push is done.
        // https://developers.line.biz/en/docs/messaging-api/retrying-api-request/
        if (error instanceof HTTPFetchError && error.status === 409) return;
        throw toDeliveryError(error);
      }
    },
    async pushMessages({ to, messages, retryKey }) {
      try {
        await withTimeout(client.pushMessage({ to, messages }, retryKey), timeoutMs);
      } catch (error) {
        if (error instanceof HTTPFetchError && error.status === 409) return; // as in pushText
        throw toDeliveryError(error);
      }
    },
    async multicast({ to, messages, retryKey }) {
      try {
        await withTimeout(client.multicast({ to, messages }, retryKey), timeoutMs);
      } catch (error) {
        // Retry keys work for multicast as for push: 409 means the first request went through.
        if (error instanceof HTTPFetchError && error.status === 409) return;
        throw toDeliveryError(error);
      }
    },
    async replyMessages({ replyToken, messages }) {
      try {
        await withTimeout(client.replyMessage({ replyToken, messages }), timeoutMs);
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    async getQuota() {
      try {
        const [quota, consumption] = await Promise.all([
          withTimeout(client.getMessageQuota(), timeoutMs),
          withTimeout(client.getMessageQuotaConsumption(), timeoutMs),
        ]);
        // `value` comes with type 'limited' only. Were it ever missing, sending on is still safe:
        // LINE itself refuses a send past the limit, and that comes back as monthlyLimit.
        // https://developers.line.biz/en/reference/messaging-api/#get-quota
        const limit = quota.type === 'limited' && typeof quota.value === 'number' ? quota.value : null;
        return { limit, used: consumption.totalUsage };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}

// LINE tells the 429s apart only by the body's message: a rate limit passes within a second, the
// month's message limit does not pass before the month ends (or the plan changes).
// https://developers.line.biz/en/docs/messaging-api/handling-http-429-errors/
// https://developers.line.biz/en/reference/messaging-api/#error-messages
const MONTHLY_LIMIT = /monthly limit/i;
const RATE_LIMIT_RETRY_MS = 1000;

function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof HTTPFetchError) {
    const detail = lineMessageOf(error.body) ?? error.statusText;
    const message = `LINE API ${error.status}: ${detail}`;
    if (error.status === 429 && MONTHLY_LIMIT.test(detail)) {
      return new DeliveryError('later', message, { status: 429, monthlyLimit: true });
    }
    if (error.status === 429 || error.status >= 500) {
      const retryAfter = Number(error.headers.get('retry-after'));
      const said = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
      // A rate limit passes within a second: try again then, not after a backoff that doubles with
      // each refusal (a burst at the limit would otherwise leave its last rows waiting for minutes).
      const retryAfterMs = said ?? (error.status === 429 ? RATE_LIMIT_RETRY_MS : undefined);
      return new DeliveryError('later', message, {
        status: error.status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    return new DeliveryError('never', message, { status: error.status });
  }
  // Network errors, timeouts and unreadable answers: the request may or may not have arrived.
  return new DeliveryError(
    'later',
    `LINE API unreachable: ${error instanceof Error ? error.message : String(error)}`,
  );
}

function lineMessageOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as {
      message?: unknown;
      details?: { message?: string; property?: string }[];
    };
    const details = (parsed.details ?? []).map((d) => `${d.property ?? ''} ${d.message ?? ''}`.trim());
    return typeof parsed.message === 'string' ? [parsed.message, ...details].join('; ') : undefined;
  } catch {
    return body ? body.slice(0, 200) : undefined;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

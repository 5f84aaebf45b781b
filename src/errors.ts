export type ErrorCode = 'bad_signature' | 'bad_request' | 'not_found' | 'not_ready' | 'internal';

/** An error that crosses the HTTP boundary; the server maps its code to a status. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: string[] | undefined;
  constructor(code: ErrorCode, message: string, details?: string[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export const httpStatusOf: Record<ErrorCode, number> = {
  bad_signature: 401,
  bad_request: 400,
  not_found: 404,
  not_ready: 503,
  internal: 500,
};

/**
 * What an outbound call to LINE or Slack taught us about retrying it.
 * - `later`: transient (5xx, timeout, network, 429); `retryAfterMs` when the platform said when.
 * - `never`: the request itself is wrong or refused (other 4xx, ok:false); retrying cannot help.
 */
export class DeliveryError extends Error {
  readonly retry: 'later' | 'never';
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  constructor(
    retry: 'later' | 'never',
    message: string,
    opts: { retryAfterMs?: number; status?: number } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
    this.retry = retry;
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
  }
}

/**
 * A failure that no retry can fix because the data itself is refused: PostgreSQL's data
 * exceptions (class 22: "invalid byte sequence", out-of-range values...) and program limits
 * (class 54: nesting too deep, too many columns), or a value our own code could not convert.
 * Such an item is set aside with its reason; anything else (a lost connection, a timeout) is
 * worth another try. Looked for through `cause`, since the ORM wraps the driver's error.
 */
export function isPermanentDataError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'TooDeepError' || e instanceof RangeError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

/** The most specific message in an error's `cause` chain, for a dead letter or an alert. */
export function rootMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.message) message = e.message.split('\n')[0] ?? message;
  }
  return message;
}

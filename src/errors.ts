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
  /** LINE answered 429 because the month's message quota is spent: retrying soon cannot help. */
  readonly monthlyLimit: boolean;
  constructor(
    retry: 'later' | 'never',
    message: string,
    opts: { retryAfterMs?: number; status?: number; monthlyLimit?: boolean } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
    this.retry = retry;
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
    this.monthlyLimit = opts.monthlyLimit ?? false;
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
  return causesOf(error).some((e) => {
    if (e.name === 'TooDeepError' || e instanceof RangeError) return true;
    const code = codeOf(e);
    return code !== undefined && /^(22|54)[0-9A-Z]{3}$/.test(code);
  });
}

/** The most specific message in an error's `cause` chain, for a dead letter or an alert. */
export function rootMessage(error: unknown): string {
  const chain = causesOf(error);
  const deepest = chain.findLast((e) => e.message !== '');
  return deepest?.message.split('\n')[0] ?? String(error);
}

/**
 * An error and the errors it wraps (`cause`), outermost first, at most five deep: the ORM wraps
 * the driver's error, and our own errors wrap both.
 */
export function causesOf(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let e = error; e instanceof Error && chain.length < 5; e = e.cause) chain.push(e);
  return chain;
}

/** A driver error's code (a SQLSTATE such as '22021', or postgres.js's 'CONNECTION_CLOSED'). */
export function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

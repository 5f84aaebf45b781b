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

import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a request more than 5 minutes away from our clock, either way, is refused. */
export const SLACK_SIGNATURE_WINDOW_S = 5 * 60;

export type SlackSignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'bad_timestamp' | 'stale' | 'future' | 'mismatch' };

/**
 * Checks `X-Slack-Signature` against the raw bytes before anything parses them: the HMAC-SHA256 of
 * `v0:<timestamp>:<body>` keyed with the signing secret, hex, compared in constant time. The
 * timestamp must be an integer of seconds within 5 minutes of `nowS` in either direction (Bolt's
 * own check only refuses old ones, so a request signed a day ahead would replay for a day).
 * https://api.slack.com/authentication/verifying-requests-from-slack
 */
export function checkSlackSignature(
  raw: Buffer,
  headers: { signature: unknown; timestamp: unknown },
  signingSecret: string,
  nowS: number,
): SlackSignatureCheck {
  const { signature, timestamp } = headers;
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const ts = Number(timestamp);
  if (ts < nowS - SLACK_SIGNATURE_WINDOW_S) return { ok: false, reason: 'stale' };
  if (ts > nowS + SLACK_SIGNATURE_WINDOW_S) return { ok: false, reason: 'future' };
  const expected = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

// The time window and cursor paging that conversations.history and conversations.replies share.
// https://docs.slack.dev/reference/methods/conversations.history
// https://docs.slack.dev/apis/web-api/pagination

export interface TimelineArgs {
  limit?: number | undefined;
  cursor?: string | undefined;
  oldest?: string | undefined;
  latest?: string | undefined;
  inclusive?: boolean | undefined;
}

export interface PageRules {
  order: 'oldest-first' | 'newest-first';
  defaultLimit: number;
  maxLimit: number;
}

export type MessagePage<T> =
  | { ok: true; items: T[]; hasMore: boolean; nextCursor: string }
  | { ok: false; error: 'invalid_cursor' | 'invalid_ts_oldest' | 'invalid_ts_latest' };

/** A ts ("1700000000.000123", or whole seconds as oldest/latest allow) in whole microseconds, exactly. */
export function tsMicros(ts: string): number | undefined {
  const match = /^(\d{1,11})(?:\.(\d{1,6}))?$/.exec(ts);
  if (!match?.[1]) return undefined;
  return Number(match[1]) * 1e6 + Number((match[2] ?? '').padEnd(6, '0'));
}

// Shaped like Slack's own cursors (base64 of "next_ts:<micros>"): it names the first message of the
// next page, so a page stays right when messages are posted or deleted in between.
const encodeCursor = (micros: number) => Buffer.from(`next_ts:${micros}`).toString('base64');

function decodeCursor(cursor: string): number | undefined {
  const match = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match?.[1] ? Number(match[1]) : undefined;
}

/** One page of `items` (sorted oldest first) inside the oldest/latest window, in the method's order. */
export function pageOf<T extends { ts: string }>(
  items: T[],
  args: TimelineArgs,
  rules: PageRules,
): MessagePage<T> {
  const oldest = args.oldest === undefined ? 0 : tsMicros(args.oldest);
  if (oldest === undefined) return { ok: false, error: 'invalid_ts_oldest' };
  const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : tsMicros(args.latest);
  if (latest === undefined) return { ok: false, error: 'invalid_ts_latest' };
  const from = args.cursor ? decodeCursor(args.cursor) : undefined;
  if (args.cursor && from === undefined) return { ok: false, error: 'invalid_cursor' };

  const newestFirst = rules.order === 'newest-first';
  const inclusive = args.inclusive === true;
  const window = items
    .map((item) => ({ item, at: tsMicros(item.ts) ?? 0 }))
    .filter(({ at }) => (inclusive ? at >= oldest && at <= latest : at > oldest && at < latest))
    .filter(({ at }) => from === undefined || (newestFirst ? at <= from : at >= from))
    .sort((a, b) => (newestFirst ? b.at - a.at : a.at - b.at));
  // A missing or non-positive limit means the method's default; larger ones are capped like Slack's.
  const limit = Math.min(args.limit && args.limit > 0 ? args.limit : rules.defaultLimit, rules.maxLimit);
  const next = window[limit];
  return {
    ok: true,
    items: window.slice(0, limit).map(({ item }) => item),
    hasMore: next !== undefined,
    nextCursor: next ? encodeCursor(next.at) : '',
  };
}

/** A NUL, or a UTF-16 surrogate without its partner: neither can be stored as PostgreSQL text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this looks for.
const UNSTORABLE = /\x00|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as PostgreSQL can store it: NUL and lone surrogates become U+FFFD (the replacement
 * character), everything else is kept as it came. PostgreSQL's text and jsonb refuse NUL
 * ("invalid byte sequence" / "unsupported Unicode escape sequence"), and a lone surrogate is not
 * valid UTF-8, so one such character would otherwise fail the whole statement.
 */
export function storableText(text: string): string {
  UNSTORABLE.lastIndex = 0;
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE, '\ufffd') : text;
}

/** Deeper than any LINE event (about 6 levels); past this a payload is not stored as jsonb. */
export const MAX_JSON_DEPTH = 64;

export class TooDeepError extends Error {
  constructor() {
    super(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.name = 'TooDeepError';
  }
}

/**
 * The same for every string in a JSON value (keys included), for payloads stored as jsonb.
 * Throws TooDeepError past MAX_JSON_DEPTH levels rather than recurse without bound.
 */
export function storableJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_JSON_DEPTH) throw new TooDeepError();
  if (Array.isArray(value)) return value.map((inner) => storableJson(inner, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[storableText(key)] = storableJson(inner, depth + 1);
  return out;
}

/**
 * Opt-out and opt-in by keyword: a lead message that is exactly a keyword, read loosely enough for
 * how people type on a phone. Both sides are compared after:
 * - NFKC (full-width ＡＢＣ１２３ and half-width ｶﾅ become their usual forms),
 * - removing every whitespace character, inside as well as around (half-width and full-width
 *   spaces, tabs, line breaks: 「配信　停止」 is 配信停止),
 * - lower-casing (STOP is stop).
 * Anything else around the keyword (「配信停止します」, 「配信停止。」) is not a match: those are
 * relayed to the owner as a message, who can stop the sequences from Slack.
 */
export type OptKeywordMatch = 'opt_out' | 'opt_in';

export interface OptKeywords {
  optOut: readonly string[];
  optIn: readonly string[];
}

export function normaliseKeywordText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

/**
 * A comma-separated keyword list ('配信停止,停止') as normalised keywords: '、' separates too,
 * empty entries are dropped, duplicates removed. Throws when no keyword is left.
 */
export function parseKeywordList(text: string): string[] {
  const keywords = text
    .normalize('NFKC')
    .split(/[,、]/)
    .map(normaliseKeywordText)
    .filter((keyword) => keyword.length > 0);
  if (keywords.length === 0) throw new Error('expected at least one keyword, comma-separated, e.g. 配信停止');
  return [...new Set(keywords)];
}

/** 'opt_out' or 'opt_in' when the whole message is one of the keywords, else null. */
export function matchOptKeyword(message: string, keywords: OptKeywords): OptKeywordMatch | null {
  const text = normaliseKeywordText(message);
  if (text.length === 0) return null;
  if (keywords.optOut.some((keyword) => normaliseKeywordText(keyword) === text)) return 'opt_out';
  if (keywords.optIn.some((keyword) => normaliseKeywordText(keyword) === text)) return 'opt_in';
  return null;
}

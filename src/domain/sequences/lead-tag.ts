import { storableText } from '../storable-text.ts';

/**
 * A tag doubles as a quick-reply label (the interests question), which LINE caps at 20
 * characters; the sequences file counts them the same way (UTF-16 units, as zod's max does).
 */
export const TAG_MAX_LENGTH = 20;

/** Commas would read as a list of tags wherever tags are listed or typed. */
const COMMA = /[,，、､]/;

export type TagProblem = 'empty' | 'too_long' | 'comma';

/** A tag as a rep typed it: trimmed, 1 to 20 characters, no comma. */
export function parseTag(text: string): { ok: true; tag: string } | { ok: false; problem: TagProblem } {
  const tag = storableText(text).trim();
  if (tag === '') return { ok: false, problem: 'empty' };
  if (tag.length > TAG_MAX_LENGTH) return { ok: false, problem: 'too_long' };
  if (COMMA.test(tag)) return { ok: false, problem: 'comma' };
  return { ok: true, tag };
}

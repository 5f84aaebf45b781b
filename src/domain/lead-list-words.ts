import { commandWords } from './command-words.ts';
import { SEGMENT_ORDER, type TimingSegment } from './follow-up/purchase-timing.ts';
import type { LeadStage } from './lead.ts';
import { type LeadListFilter, NO_LEAD_FILTER } from './lead-list.ts';
import { parseUserRef } from './staff-command.ts';

/** The Japanese words a rep reads in the product (the catalog's), accepted as conditions. */
export interface LeadListWords {
  segments: Record<TimingSegment, string>;
  stages: Record<LeadStage, string>;
  awaiting: string;
  neglected: string;
}

export type LeadListArgs =
  | { kind: 'filter'; filter: LeadListFilter }
  /** `unknown`: no condition reads so; `repeated`: a second owner, segment or stage. */
  | { kind: 'invalid'; word: string; problem: 'unknown' | 'repeated' };

const STAGES: readonly LeadStage[] = ['open', 'nurture', 'won', 'lost'];

/**
 * Folds what people type for the same word: full-width letters and digits, case, and the ways of
 * writing the ヶ of 1ヶ月 (ケ, ヵ, カ, か, 箇).
 */
function folded(word: string): string {
  return word
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[ケヵカか箇]/g, 'ヶ');
}

/**
 * Reads the conditions after `leads`, in any order: an owner (`<@U…>` or a user id), a purchase
 * timing segment (the Japanese name or the id, e.g. 1ヶ月以内 or within_1m), a stage (追客中 or open…),
 * 返信待ち and 放置 (or awaiting, neglected).
 */
export function parseLeadListArgs(args: string, words: LeadListWords): LeadListArgs {
  const vocabulary = new Map<string, (filter: LeadListFilter) => LeadListFilter | null>();
  const add = (word: string, apply: (filter: LeadListFilter) => LeadListFilter | null) =>
    vocabulary.set(folded(word), apply);
  for (const segment of SEGMENT_ORDER) {
    const apply = (f: LeadListFilter) => (f.segment === null ? { ...f, segment } : null);
    add(segment, apply);
    add(words.segments[segment], apply);
  }
  for (const stage of STAGES) {
    const apply = (f: LeadListFilter) => (f.stage === null ? { ...f, stage } : null);
    add(stage, apply);
    add(words.stages[stage], apply);
  }
  for (const word of [words.awaiting, 'awaiting']) add(word, (f) => ({ ...f, awaiting: true }));
  for (const word of [words.neglected, 'neglected']) add(word, (f) => ({ ...f, neglected: true }));

  let filter = NO_LEAD_FILTER;
  for (const word of commandWords(args)) {
    const user = parseUserRef(word);
    const apply =
      vocabulary.get(folded(word)) ??
      (user ? (f: LeadListFilter) => (f.ownerId === null ? { ...f, ownerId: user.userId } : null) : null);
    if (!apply) return { kind: 'invalid', word, problem: 'unknown' };
    const next = apply(filter);
    if (!next) return { kind: 'invalid', word, problem: 'repeated' };
    filter = next;
  }
  return { kind: 'filter', filter };
}

import type { TimingSegment } from './purchase-timing.ts';
import { segmentRank } from './purchase-timing.ts';

/** Score per timing segment and amount band key (plus 'unknown' for a lead without an amount). */
export type PriorityMatrix = Record<TimingSegment, Record<string, number>>;

export const UNKNOWN_BAND = 'unknown';

/**
 * The lead's score in the matrix; higher is worked first. A band missing from the row (only
 * possible with an unvalidated table) scores as 'unknown', then 0, so it is never dropped.
 */
export function priorityScore(
  segment: TimingSegment,
  bandKey: string | null,
  matrix: PriorityMatrix,
): number {
  const row = matrix[segment];
  return row[bandKey ?? UNKNOWN_BAND] ?? row[UNKNOWN_BAND] ?? 0;
}

/** What the follow-up order needs to know about a lead. */
export interface FollowUpCandidate {
  id: string;
  name: string;
  score: number;
  segment: TimingSegment;
  amountYen: number | null;
  /** null = never touched, which counts as the longest wait. */
  lastTouchAt: Date | null;
}

/**
 * The order of the follow-up list: score, then nearer segment, larger amount (unknown last),
 * longer since the last touch, name, and finally id so that the order is total and the same
 * on every run and replica. Names compare by code unit, not locale, for the same reason.
 */
export function compareLeadsForFollowUp(a: FollowUpCandidate, b: FollowUpCandidate): number {
  return (
    ascending(b.score, a.score) ||
    ascending(segmentRank(a.segment), segmentRank(b.segment)) ||
    ascending(b.amountYen ?? -1, a.amountYen ?? -1) ||
    ascending(touchTime(a), touchTime(b)) ||
    ascending(a.name, b.name) ||
    ascending(a.id, b.id)
  );
}

const touchTime = (c: FollowUpCandidate) => c.lastTouchAt?.getTime() ?? Number.NEGATIVE_INFINITY;

function ascending<T extends number | string>(x: T, y: T): number {
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

/** Why a deal was lost, as a rep picks it when closing (失注理由). */
export const LOST_REASONS = ['declined', 'competitor', 'postponed', 'no_response', 'other'] as const;
export type LostReason = (typeof LOST_REASONS)[number];

export function isLostReason(value: string): value is LostReason {
  return (LOST_REASONS as readonly string[]).includes(value);
}

/**
 * The 4-touch rule is about silence: a lead who cannot be reached is not given up before enough
 * attempts, but a lead who said no (declined, signed elsewhere, dropped the plan) can be closed
 * at once.
 */
export function lostNeedsAttempts(reason: LostReason): boolean {
  return reason === 'no_response';
}

/** The stored close reason: the reason's key, then the rep's note after ': ' when there is one. */
export function storedCloseReason(reason: LostReason, note: string | null): string {
  return note ? `${reason}: ${note}` : reason;
}

/** Reads a stored close reason back; text stored before reasons had keys comes back as a note. */
export function parseCloseReason(text: string | null): { reason: LostReason | null; note: string | null } {
  if (text === null) return { reason: null, note: null };
  const at = text.indexOf(': ');
  const key = at === -1 ? text : text.slice(0, at);
  if (isLostReason(key)) return { reason: key, note: at === -1 ? null : text.slice(at + 2) || null };
  return { reason: null, note: text };
}

import { localDate, zonedTimeToInstant } from '../../domain/business-calendar.ts';
import type { Sequence } from '../../domain/sequences/sequence.ts';
import type { Clock, SequenceCounts, Store } from '../../ports.ts';
import type { SequenceSettings } from './sequence-settings.ts';

export type SequenceOverview =
  | { kind: 'not_staff' }
  | {
      kind: 'overview';
      /** 'YYYY-MM' in BUSINESS_TIMEZONE: the month `sentThisMonth` counts. */
      month: string;
      rows: { sequence: Sequence; counts: SequenceCounts }[];
    };

/**
 * `/tsuikyaku sequences`: each sequence of the file with its enrolments by state and the steps sent
 * since the start of this month in BUSINESS_TIMEZONE. For staff only.
 */
export async function sequenceOverview(
  deps: { store: Store; clock: Clock; sequences: SequenceSettings },
  input: { actorId: string },
): Promise<SequenceOverview> {
  const actor = await deps.store.staff.get(input.actorId);
  if (!actor?.active) return { kind: 'not_staff' };
  const month = localDate(deps.clock.now(), deps.sequences.rules.timezone).slice(0, 7);
  const monthStart = zonedTimeToInstant(`${month}-01`, '00:00', deps.sequences.rules.timezone);
  const counts = new Map((await deps.store.enrolments.counts(monthStart)).map((c) => [c.sequenceId, c]));
  const rows = deps.sequences.file.sequences.map((sequence) => ({
    sequence,
    counts: counts.get(sequence.id) ?? {
      sequenceId: sequence.id,
      enrolled: 0,
      active: 0,
      paused: 0,
      completed: 0,
      stopped: 0,
      sentThisMonth: 0,
    },
  }));
  return { kind: 'overview', month, rows };
}

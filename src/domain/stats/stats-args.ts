import { localDate } from '../business-calendar.ts';
import { commandWords } from '../command-words.ts';
import { defaultPeriod, parsePeriod, type ReportPeriod } from '../report-period.ts';
import { parseUserRef } from '../staff-command.ts';

export type StatsArgs =
  | { kind: 'args'; period: ReportPeriod; repId: string | null }
  /** `unknown`: not a period or a person; `repeated`: a second period or person. */
  | { kind: 'invalid'; word: string; problem: 'unknown' | 'repeated' | 'reversed' | 'too_long' };

/**
 * Reads `[period] [@rep]` in either order after `stats` or `export`: the period (default: this
 * ISO week) as parsePeriod reads it, and a person as a mention or a user ID.
 */
export function parseStatsArgs(args: string, now: Date, timeZone: string, allowRep = true): StatsArgs {
  let period: ReportPeriod | null = null;
  let repId: string | null = null;
  const todayYmd = localDate(now, timeZone);
  for (const word of commandWords(args)) {
    const user = allowRep ? parseUserRef(word) : null;
    if (user) {
      if (repId !== null) return { kind: 'invalid', word, problem: 'repeated' };
      repId = user.userId;
      continue;
    }
    const parsed = parsePeriod(word, todayYmd);
    if (parsed.kind === 'invalid') return parsed;
    if (period !== null) return { kind: 'invalid', word, problem: 'repeated' };
    period = parsed.period;
  }
  return { kind: 'args', period: period ?? defaultPeriod(now, timeZone), repId };
}

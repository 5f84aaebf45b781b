import type { FollowUpPolicy } from '../../../src/domain/follow-up-policy.ts';
import type { Catalog } from '../../../src/messages.ts';
import type { Clock, Logger, StatsQueries, Store } from '../../../src/ports.ts';
import type { SequenceSettings } from '../../../src/use-cases/sequences/sequence-settings.ts';
import type { ReportsInFlight } from '../../../src/use-cases/stats/reports-in-flight.ts';
import type { BlockContext } from '../block-kit.ts';

export interface ListenerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  t: Catalog;
  blocks: BlockContext;
  policy: FollowUpPolicy;
  /** Step sequences: the file, its rules and keywords. */
  sequences: SequenceSettings;
  command: string;
  /** Managers' numbers: the statistics queries and LINE's count of this month's messages. */
  stats: StatsQueries;
  quotaUsage: () => Promise<{ limit: number | null; used: number }>;
  /** Reports under way: the same numbers asked again meanwhile are computed once. */
  reports: ReportsInFlight;
  /** Start delivering the outbox rows a listener just committed. */
  kick: () => void;
}

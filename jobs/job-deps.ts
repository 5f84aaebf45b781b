import type { FollowUpPolicy } from '../src/domain/follow-up-policy.ts';
import type { Clock, Logger, StatsQueries, Store } from '../src/ports.ts';
import type { LineQuotaGuard } from '../src/use-cases/sequences/line-quota.ts';
import type { SequenceSettings } from '../src/use-cases/sequences/sequence-settings.ts';

export interface JobDeps {
  store: Store;
  clock: Clock;
  policy: FollowUpPolicy;
  logger: Logger;
  /** Jobs only enqueue; this starts delivery of what they queued. */
  kick: () => void;
  /** Step sequences: the file and rules, and LINE's quota. */
  sequences: { settings: SequenceSettings; quota: LineQuotaGuard };
  /** Managers' numbers: the statistics queries and LINE's count of this month's messages. */
  stats: StatsQueries;
  quotaUsage: () => Promise<{ limit: number | null; used: number }>;
}

import type { FollowUpPolicy } from '../src/domain/follow-up-policy.ts';
import type { Clock, Logger, Store } from '../src/ports.ts';

export interface JobDeps {
  store: Store;
  clock: Clock;
  policy: FollowUpPolicy;
  logger: Logger;
  /** Jobs only enqueue; this starts delivery of what they queued. */
  kick: () => void;
}

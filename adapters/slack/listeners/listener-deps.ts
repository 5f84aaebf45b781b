import type { Catalog } from '../../../src/messages.ts';
import type { Clock, Logger, Store } from '../../../src/ports.ts';

export interface ListenerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  t: Catalog;
  command: string;
  /** Start delivering the outbox rows a listener just committed. */
  kick: () => void;
}

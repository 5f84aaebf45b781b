import { alertHandlers } from './alert-handlers.ts';
import { exportHandlers } from './export-handlers.ts';
import { followUpHandlers } from './follow-up-handlers.ts';
import { leadCardHandlers } from './lead-card-handlers.ts';
import type { OutboxHandlers } from './outbox-handler.ts';
import { relayHandlers } from './relay-handlers.ts';
import { sequenceHandlers } from './sequence-handlers.ts';
import { staffHandlers } from './staff-handlers.ts';
import { statsHandlers } from './stats-handlers.ts';

/** Every outbox job kind and its handler, gathered from the features that own them. */
export const outboxHandlers: OutboxHandlers = {
  ...relayHandlers,
  ...leadCardHandlers,
  ...followUpHandlers,
  ...alertHandlers,
  ...staffHandlers,
  ...sequenceHandlers,
  ...statsHandlers,
  ...exportHandlers,
};

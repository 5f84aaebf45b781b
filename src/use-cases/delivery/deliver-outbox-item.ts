import type { OutboxEntry, OutboxItem, Repos } from '../../ports.ts';
import type { DeliveryDeps, JobOf, OutboxKind } from './outbox-handler.ts';
import { outboxHandlers } from './outbox-handlers.ts';

/**
 * Delivers one outbox row through the handler of its kind. A retry never posts to Slack twice:
 * see SlackPostKey.
 */
export async function deliverOutboxItem(base: DeliveryDeps, item: OutboxItem): Promise<OutboxEntry[]> {
  // Every Slack post of this row carries the row's id; a retry first looks for what it posted.
  const deps: DeliveryDeps = {
    ...base,
    slack: base.slack.tagged({ outboxId: item.id, recheck: item.attempts > 1, since: item.createdAt }),
  };
  const deliver = <K extends OutboxKind>(kind: K, job: JobOf<K>) =>
    outboxHandlers[kind].deliver(deps, item, job);
  return deliver(item.job.kind, item.job);
}

/** Called once when a row is given up: tell staff what did not happen, as the row's handler says. */
export async function onDeliveryGivenUp(
  deps: Pick<DeliveryDeps, 'logger'>,
  item: OutboxItem,
  error: string,
  tx: Repos,
): Promise<OutboxEntry[]> {
  const job = item.job;
  // Logged by the lead's internal id (a LINE push names only its message).
  const message = job.kind === 'line.push' ? await tx.messages.get(job.messageId) : null;
  const leadId = 'leadId' in job ? job.leadId : message?.leadId;
  deps.logger.error({ outboxId: item.id, kind: job.kind, leadId, error }, 'outbox delivery given up');
  const onGivenUp = <K extends OutboxKind>(kind: K, job: JobOf<K>) =>
    outboxHandlers[kind].onGivenUp(tx, item, job, error);
  return onGivenUp(item.job.kind, item.job);
}

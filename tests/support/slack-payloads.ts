import { randomUUID } from 'node:crypto';
import type { FakeSlackMessage } from '../../adapters/slack/fake/fake-slack-api.ts';
import {
  messageBlockAction,
  viewSubmissionPayload,
} from '../../adapters/slack/fake/slack-client-requests.ts';

const triggerId = () => `trigger.${randomUUID()}`;

/** A block action on a message (card or digest), as Slack sends it when a button or select is used. */
export function blockAction(
  userId: string,
  message: Pick<FakeSlackMessage, 'channel' | 'ts'>,
  action: Record<string, unknown>,
  responseUrl: string,
) {
  return messageBlockAction({
    userId,
    channelId: message.channel,
    messageTs: message.ts,
    isEphemeral: false,
    action: { block_id: 'b', ...action },
    responseUrl,
    triggerId: triggerId(),
  });
}

/** Finds the action element with `actionId` in a message's blocks (so tests press what was rendered). */
export function findElement(message: FakeSlackMessage, actionId: string, leadId?: string) {
  for (const block of (message.blocks ?? []) as {
    type: string;
    block_id?: string;
    elements?: Record<string, unknown>[];
  }[]) {
    if (block.type !== 'actions') continue;
    if (leadId && block.block_id !== `lead:${leadId}`) continue;
    const element = block.elements?.find((e) => e.action_id === actionId);
    if (element) return { element, blockId: block.block_id ?? '' };
  }
  throw new Error(`no ${actionId} element in message ${message.ts}`);
}

/**
 * A modal submission with the given input values (block id -> element value). Pass the view as
 * views.open answered it (with its `id`) to submit that very view again, as a double click does;
 * a view without an id gets a new one.
 */
export function viewSubmission(
  userId: string,
  view: { id?: string; callback_id: string; private_metadata: string },
  values: Record<string, Record<string, unknown>>,
) {
  return viewSubmissionPayload({
    userId,
    view: {
      id: view.id ?? `V${randomUUID().slice(0, 8)}`,
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
    },
    values: Object.fromEntries(Object.entries(values).map(([block, value]) => [block, { value }])),
    triggerId: triggerId(),
  });
}

import type { WebClient } from '@slack/web-api';
import { WebAPIPlatformError } from '@slack/web-api';
import type { SlackPosted, SlackPostKey } from '../../src/ports.ts';

/** The metadata event type of every post the outbox makes. */
export const OUTBOX_EVENT_TYPE = 'tsuikyaku_outbox';

/** Posts older than the row itself, less this margin for clock skew, cannot be the row's. */
const SKEW_MS = 5 * 60_000;
const PAGE = 200;
const MAX_PAGES = 10;
export const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** What a lookup reads of a message: its ts, its metadata, and the files shared with it. */
export interface RecentMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { outbox_id?: unknown; role?: unknown } };
  files?: Array<{ id?: string; name?: string }>;
}

/**
 * Looks for the message an earlier attempt of this outbox row posted in `role`, in the thread
 * (conversations.replies) or the channel (conversations.history), reading message metadata.
 * A DM given as a user id is opened first (conversations.open) to learn its channel id.
 * https://docs.slack.dev/messaging/message-metadata
 */
export async function findTaggedPost(
  client: WebClient,
  channel: string,
  threadTs: string | undefined,
  key: SlackPostKey,
  role: string,
): Promise<SlackPosted | null> {
  const channelId = USER_ID.test(channel) ? await openDm(client, channel) : channel;
  if (!channelId) return null;
  const found = await findRecentMessage(
    client,
    channelId,
    threadTs,
    key.since,
    (m) =>
      m.metadata?.event_type === OUTBOX_EVENT_TYPE &&
      m.metadata.event_payload?.outbox_id === key.outboxId &&
      m.metadata.event_payload?.role === role,
  );
  return found?.ts ? { channelId, ts: found.ts } : null;
}

/**
 * The first message in the thread (conversations.replies) or the channel (conversations.history)
 * posted since `since` (less a margin for clock skew) that `match` accepts, paging up to
 * MAX_PAGES. Metadata is asked for (include_all_metadata); file shares come with their `files`.
 */
export async function findRecentMessage(
  client: WebClient,
  channelId: string,
  threadTs: string | undefined,
  since: Date,
  match: (message: RecentMessage) => boolean,
): Promise<RecentMessage | null> {
  const oldest = ((since.getTime() - SKEW_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let result: {
      messages?: RecentMessage[];
      has_more?: boolean;
      response_metadata?: { next_cursor?: string };
    };
    try {
      const args = {
        channel: channelId,
        oldest,
        limit: PAGE,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      };
      result = threadTs
        ? await client.conversations.replies({ ...args, ts: threadTs })
        : await client.conversations.history(args);
    } catch (error) {
      // Nothing was ever posted there, so nothing can be found.
      if (error instanceof WebAPIPlatformError && error.data.error === 'thread_not_found') return null;
      throw error;
    }
    const found = (result.messages ?? []).find(match);
    if (found) return found;
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!result.has_more || !cursor) return null;
  }
  return null;
}

/** The bot's DM with `userId` (conversations.open; im:write), or null when Slack names none. */
export async function openDm(client: WebClient, userId: string): Promise<string | null> {
  const opened = await client.conversations.open({ users: userId });
  return opened.channel?.id ?? null;
}

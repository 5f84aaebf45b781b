import type { App } from '@slack/bolt';
import { z } from 'zod';
import { relayRepReply } from '../../../src/use-cases/relay-rep-reply.ts';
import type { ListenerDeps } from './listener-deps.ts';

/** Only a person's plain reply inside a thread is a reply to a lead; `file_share` gets a notice. */
const replyEvent = z.object({
  type: z.literal('message'),
  subtype: z.enum(['file_share']).optional(),
  user: z.string(),
  channel: z.string(),
  ts: z.string(),
  thread_ts: z.string(),
  text: z.string().optional(),
});

/**
 * A rep's message in a lead's thread goes to the lead on LINE. Bot messages, edits, deletions and
 * other subtypes are ignored so nothing the bot posts can echo back.
 */
export function registerRepReply(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event }) => {
    const raw = event as unknown as Record<string, unknown>;
    if (raw.bot_id || raw.app_id) return;
    const parsed = replyEvent.safeParse(raw);
    if (!parsed.success || parsed.data.thread_ts === parsed.data.ts) return;
    const message = parsed.data;
    const result = await relayRepReply(deps, {
      userId: message.user,
      channelId: message.channel,
      threadTs: message.thread_ts,
      ts: message.ts,
      slackText: message.subtype === 'file_share' ? null : (message.text ?? ''),
    });
    if (result.kind === 'queued' || result.kind === 'refused') deps.kick();
  });
}

import type { App } from '@slack/bolt';
import { z } from 'zod';
import { storableText } from '../../../src/domain/storable-text.ts';
import { relayRepReply } from '../../../src/use-cases/relay-rep-reply.ts';
import type { ListenerDeps } from './listener-deps.ts';

/** Only a person's plain reply inside a thread is a reply to a lead; `file_share` gets a notice. */
const slackTs = z.string().regex(/^\d{1,12}\.\d{1,9}$/);
const replyEvent = z.object({
  type: z.literal('message'),
  subtype: z.enum(['file_share']).optional(),
  user: z.string().regex(/^[UW][A-Z0-9]{2,30}$/),
  channel: z.string().regex(/^[CDG][A-Z0-9]{2,30}$/),
  ts: slackTs,
  thread_ts: slackTs,
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
      // A NUL or a lone surrogate typed (or forged) in Slack cannot be stored; U+FFFD can.
      slackText: message.subtype === 'file_share' ? null : storableText(message.text ?? ''),
    });
    if (result.kind === 'queued' || result.kind === 'refused') deps.kick();
  });
}

import {
  type ChatPostMessageArguments,
  LogLevel,
  type WebAPICallResult,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
} from '@slack/web-api';
import { escapeSlackText } from '../../src/domain/slack-text.ts';
import { DeliveryError } from '../../src/errors.ts';
import type { SlackNotifier, SlackPosted, SlackPostKey } from '../../src/ports.ts';
import { type BlockContext, leadName } from './block-kit.ts';
import { escalationMessage, takenAlarmMessage } from './escalation-blocks.ts';
import { exportFailedText, exportShareTexts } from './export-text.ts';
import { digestMessage } from './follow-up-blocks.ts';
import { historyMessage, inboundTexts, leadCardMessage, noticeText } from './lead-blocks.ts';
import { quotaNoticeText } from './sequence-blocks.ts';
import { uploadSlackFile } from './slack-file-upload.ts';
import { findTaggedPost, OUTBOX_EVENT_TYPE } from './slack-post-tags.ts';
import { statsSlack } from './stats-slack.ts';

/** Errors Slack itself calls temporary; every other ok:false answer is final. */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'service_unavailable',
  'internal_error',
  'fatal_error',
  'request_timeout',
]);

/**
 * The outbox owns retries, so the WebClient's own (10 retries over ~30 minutes) are off and a
 * 429 comes back at once with its Retry-After for the worker to schedule.
 */
export function createSlackWebClient(token: string, slackApiUrl: string, timeoutMs = 10_000): WebClient {
  return new WebClient(token, {
    slackApiUrl,
    // Failed calls are reported by the outbox, with the row they belong to.
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  });
}

export function createSlackNotifier(
  client: WebClient,
  ctx: BlockContext,
  key?: SlackPostKey,
  timeoutMs = 10_000,
): SlackNotifier {
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw toDeliveryError(error);
    }
  };
  const posted = (result: WebAPICallResult & { channel?: string; ts?: string }) => {
    if (!result.channel || !result.ts)
      throw new DeliveryError('never', 'Slack answered without channel or ts');
    return { channelId: result.channel, ts: result.ts };
  };
  /**
   * chat.postMessage, at most once per (outbox row, role): `role` names which of a delivery's posts
   * this is ('card', 'relay:0'...), so a retry that skips an earlier step still finds its own post.
   */
  const post = async (role: string, args: ChatPostMessageArguments): Promise<SlackPosted> => {
    if (key?.recheck) {
      const found = await findTaggedPost(client, args.channel, args.thread_ts, key, role).catch(
        (error: unknown) => {
          throw toDeliveryError(error);
        },
      );
      if (found) return found;
    }
    const metadata = key
      ? { event_type: OUTBOX_EVENT_TYPE, event_payload: { outbox_id: key.outboxId, role } }
      : undefined;
    return posted(await call(() => client.chat.postMessage({ ...args, ...(metadata ? { metadata } : {}) })));
  };
  return {
    tagged: (next) => createSlackNotifier(client, ctx, next, timeoutMs),
    async postLeadCard(channel, view) {
      const message = leadCardMessage(view, ctx);
      return post('card', { channel, ...message, unfurl_links: false });
    },
    async updateLeadCard(channelId, ts, view) {
      const message = leadCardMessage(view, ctx);
      await call(() => client.chat.update({ channel: channelId, ts, ...message }));
    },
    async postInboundMessage(thread, message, lead) {
      // Shown as the lead (chat:write.customize), so staff can tell the customer's words apart.
      const as = {
        username: `${leadName(lead, ctx.t)} (LINE)`,
        ...(lead.pictureUrl?.startsWith('https://')
          ? { icon_url: lead.pictureUrl }
          : { icon_emoji: ':bust_in_silhouette:' }),
      };
      const parts = inboundTexts(message.content, ctx);
      let first: SlackPosted | undefined;
      for (const [index, text] of parts.entries()) {
        const sent = await post(`relay:${index}`, {
          channel: thread.channelId,
          thread_ts: thread.threadTs,
          text,
          ...as,
          unfurl_links: false,
          unfurl_media: false,
        });
        first ??= sent;
      }
      return first as SlackPosted;
    },
    async postHistory(thread, messages, lead) {
      const message = historyMessage(messages, lead, ctx);
      await post('history', { channel: thread.channelId, thread_ts: thread.threadTs, ...message });
    },
    async postNotice(channelId, threadTs, notice) {
      await post('notice', { channel: channelId, thread_ts: threadTs, text: noticeText(notice, ctx) });
    },
    async postDigest(repId, digest, date, now, team) {
      const message = digestMessage(digest, 0, date, now, ctx, team);
      return post('digest', { channel: repId, ...message, unfurl_links: false });
    },
    async postEscalation(view) {
      const message = escalationMessage(view, ctx);
      const { channel, threadTs } = view;
      // The owner's reminders are also shown in the DM's conversation, so they are not missed.
      const inThread = threadTs
        ? { thread_ts: threadTs, reply_broadcast: view.audience === 'owner' || view.audience === 'reminder' }
        : {};
      return post('escalation', { channel, ...message, ...inThread });
    },
    async updateEscalation(channelId, ts, view) {
      const message = takenAlarmMessage(view, ctx);
      await call(() => client.chat.update({ channel: channelId, ts, ...message }));
    },
    async postQuotaNotice(to, notice) {
      await post('quota', { channel: to, text: quotaNoticeText(notice, ctx) });
    },
    async postDeliveryAlert(channelId, { lead, error }) {
      const name = lead ? escapeSlackText(leadName(lead, ctx.t)) : null;
      await post('alert', { channel: channelId, text: ctx.t.deliveryAlert(name, escapeSlackText(error)) });
    },
    uploadFile: (file) => call(() => uploadSlackFile(client, file, key)),
    ...statsSlack(
      ctx,
      (file) => call(() => uploadSlackFile(client, file, key)),
      (role, args) => post(role, args as unknown as ChatPostMessageArguments),
      timeoutMs,
    ),
    async postExport(userId, file, summary) {
      const { title, comment } = exportShareTexts(summary, ctx);
      return call(() =>
        uploadSlackFile(
          client,
          { channel: userId, filename: file.filename, title, comment, content: { path: file.path } },
          key,
        ),
      );
    },
    async postExportFailed(userId, failure) {
      await post('export_failed', { channel: userId, text: exportFailedText(failure, ctx) });
    },
    async addReaction(channelId, ts, name) {
      try {
        await client.reactions.add({ channel: channelId, timestamp: ts, name });
      } catch (error) {
        if (error instanceof WebAPIPlatformError && error.data.error === 'already_reacted') return;
        throw toDeliveryError(error);
      }
    },
    async lookupUserName(userId) {
      const result = await call(() => client.users.info({ user: userId }));
      const user = result.user;
      return user?.profile?.display_name || user?.real_name || user?.name || null;
    },
  };
}

export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof WebAPIRateLimitedError) {
    return new DeliveryError('later', 'Slack rate limit', {
      status: 429,
      retryAfterMs: error.retryAfter * 1000,
    });
  }
  if (error instanceof WebAPIHTTPError) {
    const retry =
      error.statusCode >= 500 || error.statusCode === 408 || error.statusCode === 429 ? 'later' : 'never';
    return new DeliveryError(retry, `Slack HTTP ${error.statusCode} ${error.statusMessage}`, {
      status: error.statusCode,
    });
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    return new DeliveryError(TRANSIENT_PLATFORM_ERRORS.has(code) ? 'later' : 'never', `Slack error: ${code}`);
  }
  return new DeliveryError(
    'later',
    `Slack unreachable: ${error instanceof Error ? error.message : String(error)}`,
  );
}

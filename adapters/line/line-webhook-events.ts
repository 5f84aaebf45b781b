import { z } from 'zod';
import type { InboundContent } from '../../src/domain/inbound-content.ts';
import type { InboundLineEvent } from '../../src/use-cases/ingest-line-events.ts';

/**
 * The webhook envelope (webhook.yml `CallbackRequest`). Only the envelope decides whether the body
 * is usable at all; each event is then checked on its own (`eventSchema`), so one malformed event
 * is set aside without losing the valid events LINE batched with it.
 */
export const webhookBodySchema = z.object({
  destination: z.string(),
  events: z.array(z.unknown()),
});

/** JavaScript dates end at 8.64e15 ms (year 275760); a LINE timestamp is milliseconds since 1970. */
const MAX_TIMESTAMP_MS = 8.64e15;

/**
 * The fields every event must carry; the rest is read leniently so unknown or newer event types
 * are stored and ignored rather than rejected.
 */
export const eventSchema = z.looseObject({
  type: z.string().min(1).max(64),
  timestamp: z.number().int().min(0).max(MAX_TIMESTAMP_MS),
  webhookEventId: z.string().min(1).max(128),
  source: z.looseObject({ type: z.string(), userId: z.string().max(128).optional() }).optional(),
});

const messageSchema = z.looseObject({ id: z.string(), type: z.string() });
const followSchema = z.looseObject({ follow: z.looseObject({ isUnblocked: z.boolean() }).optional() });
/** LINE allows 300 characters of postback data; anything longer is not ours. */
const postbackSchema = z.looseObject({ data: z.string().max(300) });

type RawEvent = z.infer<typeof eventSchema>;

export function toInboundEvent(raw: RawEvent): InboundLineEvent {
  const base = {
    webhookEventId: raw.webhookEventId,
    timestamp: new Date(raw.timestamp),
    // Only one-to-one chats are leads; group and room messages are stored, not relayed.
    userId: raw.source?.type === 'user' ? (raw.source.userId ?? null) : null,
    raw,
  };
  const replyToken = typeof raw.replyToken === 'string' && raw.replyToken !== '' ? raw.replyToken : null;
  switch (raw.type) {
    case 'follow':
      return {
        ...base,
        type: 'follow',
        isUnblocked: followSchema.safeParse(raw).data?.follow?.isUnblocked === true,
        replyToken,
      };
    case 'postback': {
      const postback = postbackSchema.safeParse(raw.postback);
      if (!postback.success) return { ...base, type: 'other', eventType: 'postback' };
      return { ...base, type: 'postback', data: postback.data.data, replyToken };
    }
    case 'unfollow':
      return { ...base, type: 'unfollow' };
    case 'message': {
      const message = messageSchema.safeParse(raw.message);
      if (!message.success) return { ...base, type: 'other', eventType: 'message' };
      return {
        ...base,
        type: 'message',
        lineMessageId: message.data.id,
        content: contentOf(message.data),
        replyToken,
      };
    }
    default:
      return { ...base, type: 'other', eventType: raw.type };
  }
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

function contentOf(message: z.infer<typeof messageSchema>): InboundContent {
  switch (message.type) {
    case 'text':
      return { kind: 'text', text: str(message.text) ?? '' };
    case 'sticker':
      return {
        kind: 'sticker',
        packageId: String(message.packageId ?? ''),
        stickerId: String(message.stickerId ?? ''),
        keywords: Array.isArray(message.keywords)
          ? message.keywords.filter((k) => typeof k === 'string')
          : [],
      };
    case 'image':
      return { kind: 'image' };
    case 'video':
      return { kind: 'video', durationMs: num(message.duration) };
    case 'audio':
      return { kind: 'audio', durationMs: num(message.duration) };
    case 'file':
      return { kind: 'file', fileName: str(message.fileName) ?? 'file', fileSize: num(message.fileSize) };
    case 'location':
      return {
        kind: 'location',
        title: str(message.title),
        address: str(message.address),
        latitude: num(message.latitude) ?? 0,
        longitude: num(message.longitude) ?? 0,
      };
    default:
      return { kind: 'unsupported', type: message.type };
  }
}

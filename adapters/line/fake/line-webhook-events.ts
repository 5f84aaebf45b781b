// Builders for LINE webhook payloads, shaped like what the LINE Platform sends
// (all fields the vendored webhook.yml marks required are present). Events a bot can reply to carry a
// reply token issued by the fake LINE API, which accepts only tokens it issued, as LINE does.
import { createHmac, randomBytes } from 'node:crypto';
import type { webhook } from '@line/bot-sdk';

export { validateWebhookBody } from './line-spec-validator.ts';

/** A syntactically valid bot user ID (`^U[0-9a-f]{32}$`) used when tests do not care. */
export const FAKE_BOT_USER_ID = 'U00000000000000000000000000000b07';

export interface EventOpts {
  timestamp?: number;
  webhookEventId?: string;
  /** Redelivered events reuse the original webhookEventId; pass both to simulate one. */
  isRedelivery?: boolean;
}
export interface MessageEventOpts extends EventOpts {
  messageId?: string;
  quoteToken?: string;
}

/** What hands out reply tokens: the fake LINE API (`startFakeLineApi`) in tests and the sandbox. */
export interface ReplyTokenIssuer {
  issueReplyToken(): string;
}

/** Tokens LINE never issued, for payloads nothing will reply to (benchmarks); a reply with one is refused. */
export const madeUpReplyTokens: ReplyTokenIssuer = { issueReplyToken: () => randomReplyToken() };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** ULID-shaped id (48-bit time + 80 random bits, Crockford base32), like LINE's webhookEventId. */
export function ulidLike(time = Date.now()): string {
  let out = '';
  let t = time;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD.charAt(t % 32) + out;
    t = Math.floor(t / 32);
  }
  for (const b of randomBytes(16)) out += CROCKFORD.charAt(b % 32);
  return out;
}

// Monotonic so ids sort in send order, as LINE's do; the 18-digit range matches real ids.
let messageSeq = 500_000_000_000_000_000n;
export function nextMessageId(): string {
  messageSeq += 1n;
  return messageSeq.toString();
}

export function randomReplyToken(): string {
  return randomBytes(16).toString('hex');
}

export function randomQuoteToken(): string {
  return `q${randomBytes(24).toString('base64url')}`;
}

function base(userId: string, opts: EventOpts) {
  const timestamp = opts.timestamp ?? Date.now();
  return {
    timestamp,
    mode: 'active' as const,
    webhookEventId: opts.webhookEventId ?? ulidLike(timestamp),
    deliveryContext: { isRedelivery: opts.isRedelivery ?? false },
    source: { type: 'user' as const, userId },
  };
}

function messageEvent<M extends webhook.MessageContent>(
  line: ReplyTokenIssuer,
  userId: string,
  opts: MessageEventOpts,
  message: M,
): webhook.MessageEvent & { replyToken: string; message: M } {
  return {
    type: 'message',
    ...base(userId, opts),
    replyToken: line.issueReplyToken(),
    message,
  };
}

export function followEvent(
  line: ReplyTokenIssuer,
  userId: string,
  opts: EventOpts & { isUnblocked?: boolean } = {},
): webhook.FollowEvent & { replyToken: string } {
  return {
    type: 'follow',
    ...base(userId, opts),
    replyToken: line.issueReplyToken(),
    follow: { isUnblocked: opts.isUnblocked ?? false },
  };
}

export function unfollowEvent(userId: string, opts: EventOpts = {}): webhook.UnfollowEvent {
  return { type: 'unfollow', ...base(userId, opts) };
}

export function textMessageEvent(
  line: ReplyTokenIssuer,
  userId: string,
  text: string,
  opts: MessageEventOpts = {},
) {
  return messageEvent<webhook.TextMessageContent>(line, userId, opts, {
    type: 'text',
    id: opts.messageId ?? nextMessageId(),
    text,
    quoteToken: opts.quoteToken ?? randomQuoteToken(),
  });
}

export function stickerMessageEvent(
  line: ReplyTokenIssuer,
  userId: string,
  packageId: string,
  stickerId: string,
  opts: MessageEventOpts = {},
) {
  return messageEvent<webhook.StickerMessageContent>(line, userId, opts, {
    type: 'sticker',
    id: opts.messageId ?? nextMessageId(),
    packageId,
    stickerId,
    stickerResourceType: 'STATIC',
    quoteToken: opts.quoteToken ?? randomQuoteToken(),
  });
}

export function imageMessageEvent(line: ReplyTokenIssuer, userId: string, opts: MessageEventOpts = {}) {
  return messageEvent<webhook.ImageMessageContent>(line, userId, opts, {
    type: 'image',
    id: opts.messageId ?? nextMessageId(),
    contentProvider: { type: 'line' },
    quoteToken: opts.quoteToken ?? randomQuoteToken(),
  });
}

export function fileMessageEvent(
  line: ReplyTokenIssuer,
  userId: string,
  fileName: string,
  fileSize: number,
  opts: MessageEventOpts = {},
) {
  return messageEvent<webhook.FileMessageContent>(line, userId, opts, {
    type: 'file',
    id: opts.messageId ?? nextMessageId(),
    fileName,
    fileSize,
  });
}

export function locationMessageEvent(
  line: ReplyTokenIssuer,
  userId: string,
  title: string,
  address: string,
  latitude: number,
  longitude: number,
  opts: MessageEventOpts = {},
) {
  return messageEvent<webhook.LocationMessageContent>(line, userId, opts, {
    type: 'location',
    id: opts.messageId ?? nextMessageId(),
    title,
    address,
    latitude,
    longitude,
  });
}

export function postbackEvent(
  line: ReplyTokenIssuer,
  userId: string,
  data: string,
  opts: EventOpts = {},
): webhook.PostbackEvent & { replyToken: string } {
  return {
    type: 'postback',
    ...base(userId, opts),
    replyToken: line.issueReplyToken(),
    postback: { data },
  };
}

export function webhookBody(
  events: webhook.Event[],
  destination: string = FAKE_BOT_USER_ID,
): webhook.CallbackRequest {
  return { destination, events };
}

/** The `x-line-signature` header value LINE would send for this exact body. */
export function signLineBody(rawBody: string | Buffer, channelSecret: string): string {
  return createHmac('sha256', channelSecret).update(rawBody).digest('base64');
}

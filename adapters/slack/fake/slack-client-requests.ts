// What the Slack client sends to an app, built and signed the way Slack does it: Events API
// callbacks (JSON), slash commands and interactivity payloads (form-encoded). Used by the sandbox,
// whose Slack pane plays the Slack client, and by tests.
import { createHmac, randomUUID } from 'node:crypto';

export const FAKE_TEAM_ID = 'T0FAKETEAM';
const APP_ID = 'A0APP';

/** Slack's v0 request signature for this body at this Unix time (seconds). */
export function signSlackBody(body: string, signingSecret: string, timestamp: number): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

function signed(body: string, contentType: string, signingSecret: string): SignedRequest {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackBody(body, signingSecret, timestamp),
    },
  };
}

/** An Events API callback body; a Slack retry of the same event reuses `eventId`. */
export function eventCallbackBody(event: Record<string, unknown>, eventId?: string): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: FAKE_TEAM_ID,
    api_app_id: APP_ID,
    type: 'event_callback',
    event_id: eventId ?? `Ev${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
}

export function eventCallback(event: Record<string, unknown>, signingSecret: string): SignedRequest {
  return signed(eventCallbackBody(event), 'application/json', signingSecret);
}

export function slashCommandBody(args: {
  command: string;
  text: string;
  userId: string;
  channelId: string;
  responseUrl: string;
  triggerId: string;
}): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: FAKE_TEAM_ID,
    channel_id: args.channelId,
    user_id: args.userId,
    user_name: args.userId.toLowerCase(),
    command: args.command,
    text: args.text,
    response_url: args.responseUrl,
    trigger_id: args.triggerId,
    api_app_id: APP_ID,
  }).toString();
}

export function slashCommand(
  args: Parameters<typeof slashCommandBody>[0],
  signingSecret: string,
): SignedRequest {
  return signed(slashCommandBody(args), 'application/x-www-form-urlencoded', signingSecret);
}

/** Interactivity arrives form-encoded, the JSON in one `payload` field. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function interaction(payload: Record<string, unknown>, signingSecret: string): SignedRequest {
  return signed(interactionBody(payload), 'application/x-www-form-urlencoded', signingSecret);
}

/** The fields every interactivity payload starts with. */
function interactionBase(type: string, userId: string, triggerId: string) {
  return {
    type,
    team: { id: FAKE_TEAM_ID },
    user: { id: userId },
    api_app_id: APP_ID,
    token: 'legacy',
    trigger_id: triggerId,
  };
}

let lastActionMicros = 0;

/**
 * Slack's `action_ts` for a press: "<seconds>.<6 digits>", the moment of the press; two presses
 * never share one (made strictly increasing here, as two clicks cannot happen in one microsecond).
 */
function actionTs(): string {
  lastActionMicros = Math.max(Date.now() * 1000, lastActionMicros + 1);
  return `${Math.floor(lastActionMicros / 1e6)}.${String(lastActionMicros % 1e6).padStart(6, '0')}`;
}

/** A block_actions payload for an element used on a message (card, digest, ephemeral answer). */
export function messageBlockAction(args: {
  userId: string;
  channelId: string;
  messageTs: string;
  isEphemeral: boolean;
  action: Record<string, unknown>;
  responseUrl: string;
  triggerId: string;
}): Record<string, unknown> {
  return {
    ...interactionBase('block_actions', args.userId, args.triggerId),
    channel: { id: args.channelId },
    container: {
      type: 'message',
      message_ts: args.messageTs,
      channel_id: args.channelId,
      is_ephemeral: args.isEphemeral,
    },
    message: { ts: args.messageTs, type: 'message' },
    response_url: args.responseUrl,
    actions: [{ action_ts: actionTs(), ...args.action }],
  };
}

/** A view_submission payload; `values` is Slack's state.values shape (block id -> action id -> value). */
export function viewSubmissionPayload(args: {
  userId: string;
  view: Record<string, unknown>;
  values: Record<string, Record<string, unknown>>;
  triggerId: string;
}): Record<string, unknown> {
  return {
    ...interactionBase('view_submission', args.userId, args.triggerId),
    view: { ...args.view, state: { values: args.values } },
  };
}

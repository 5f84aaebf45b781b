import { z } from 'zod';

/**
 * A signed request to /slack/events, read just far enough to know which kind it is and that Bolt
 * can route it: a body Slack would never send is refused with a reason (400) instead of reaching
 * a listener that would trip over a missing field.
 */
export type SlackRequest =
  | { kind: 'ssl_check'; body: Record<string, unknown>; responseUrl?: undefined }
  | { kind: 'url_verification'; body: { challenge: string }; responseUrl?: undefined }
  /** Slack telling us it is dropping events for a minute (app_rate_limited): logged, answered 200. */
  | { kind: 'rate_limited'; body: Record<string, unknown>; responseUrl?: undefined }
  | { kind: 'event'; body: Record<string, unknown>; responseUrl?: undefined }
  | { kind: 'command'; body: Record<string, unknown>; responseUrl: string | undefined }
  | { kind: 'interaction'; body: Record<string, unknown>; responseUrl: string | undefined };

const id = z.string().min(1).max(64);
const person = z.looseObject({ id });

/** Ids and nested objects Bolt reads while routing; null or the wrong type makes it throw. */
const idOrObject = z.union([z.string(), z.looseObject({})]);
const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event: z.looseObject({
    type: z.string().min(1),
    user: idOrObject.optional(),
    channel: idOrObject.optional(),
    item: z.looseObject({}).optional(),
    subtype: z.string().optional(),
  }),
  team_id: z.string().optional(),
  authorizations: z.array(z.looseObject({ team_id: z.string().nullable().optional() })).optional(),
});
const urlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: z.string() });
const command = z.looseObject({
  command: z.string().min(1),
  user_id: id,
  text: z.string().optional(),
  response_url: z.string().optional(),
});
const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user: person,
  actions: z.array(z.looseObject({ action_id: z.string(), block_id: z.string().optional() })).min(1),
  response_url: z.string().optional(),
});
const viewPayload = z.looseObject({
  type: z.enum(['view_submission', 'view_closed']),
  user: person,
  view: z.looseObject({
    id: z.string().optional(),
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }).optional(),
  }),
  response_urls: z.array(z.looseObject({ response_url: z.string() })).optional(),
});
/** Other interactive kinds we do not use; Bolt still needs to know who acted. */
const otherInteraction = z.looseObject({ type: z.string().min(1), user: person });

export type ParsedSlackRequest = { ok: true; request: SlackRequest } | { ok: false; problem: string };

export function toSlackRequest(raw: Buffer, contentType: string): ParsedSlackRequest {
  const form = contentType.startsWith('application/x-www-form-urlencoded');
  if (!form && !contentType.startsWith('application/json'))
    return { ok: false, problem: 'the content type must be application/json or a form' };
  if (form) {
    const fields = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    if (fields.ssl_check === '1') return { ok: true, request: { kind: 'ssl_check', body: fields } };
    if (typeof fields.payload === 'string') return interaction(fields.payload);
    const parsed = command.safeParse(fields);
    if (!parsed.success) return { ok: false, problem: problemOf('slash command', parsed.error) };
    return {
      ok: true,
      request: { kind: 'command', body: parsed.data, responseUrl: httpsUrl(parsed.data.response_url) },
    };
  }
  const json = parseJsonObject(raw.toString('utf8'));
  if (!json) return { ok: false, problem: 'the body is not a JSON object' };
  if (json.type === 'url_verification') {
    const parsed = urlVerification.safeParse(json);
    if (!parsed.success) return { ok: false, problem: problemOf('url_verification', parsed.error) };
    return { ok: true, request: { kind: 'url_verification', body: parsed.data } };
  }
  if (json.type === 'app_rate_limited') return { ok: true, request: { kind: 'rate_limited', body: json } };
  const parsed = eventCallback.safeParse(json);
  if (!parsed.success) return { ok: false, problem: problemOf('event callback', parsed.error) };
  return { ok: true, request: { kind: 'event', body: parsed.data } };
}

function interaction(payload: string): ParsedSlackRequest {
  const json = parseJsonObject(payload);
  if (!json) return { ok: false, problem: 'the payload field is not a JSON object' };
  const schema =
    json.type === 'block_actions'
      ? blockActions
      : json.type === 'view_submission' || json.type === 'view_closed'
        ? viewPayload
        : otherInteraction;
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: problemOf(String(json.type), parsed.error) };
  const body = parsed.data as Record<string, unknown>;
  const responseUrl =
    typeof body.response_url === 'string'
      ? body.response_url
      : (body.response_urls as { response_url: string }[] | undefined)?.[0]?.response_url;
  return { ok: true, request: { kind: 'interaction', body, responseUrl: httpsUrl(responseUrl) } };
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Only an http(s) URL is ever fetched; anything else in the field is ignored. */
function httpsUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

function problemOf(what: string, error: z.ZodError): string {
  const first = error.issues[0];
  return `not a Slack ${what}: ${first ? `${first.path.join('.') || '(body)'} ${first.message}` : 'unreadable'}`;
}

/** What the logs say about a request: its kind and ids, never what anybody wrote. */
export function describeSlackRequest(request: SlackRequest): Record<string, unknown> {
  const body = request.body as Record<string, unknown>;
  const user = (body.user as { id?: unknown } | undefined)?.id ?? body.user_id;
  const action = (body.actions as { action_id?: unknown }[] | undefined)?.[0]?.action_id;
  const callback = (body.view as { callback_id?: unknown } | undefined)?.callback_id;
  const event = body.event as { type?: unknown } | undefined;
  return {
    slackKind: request.kind,
    ...(typeof body.type === 'string' ? { type: body.type } : {}),
    ...(typeof body.command === 'string' ? { command: body.command } : {}),
    ...(typeof body.event_id === 'string' ? { eventId: body.event_id } : {}),
    ...(typeof event?.type === 'string' ? { eventType: event.type } : {}),
    ...(typeof action === 'string' ? { actionId: action } : {}),
    ...(typeof callback === 'string' ? { callbackId: callback } : {}),
    ...(typeof user === 'string' ? { slackUserId: user } : {}),
  };
}

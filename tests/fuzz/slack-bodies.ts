import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { ACTION, CALLBACK } from '../../adapters/slack/follow-up-ids.ts';
import { CLAIM_ACTION_ID } from '../../adapters/slack/lead-blocks.ts';
import { ADMIN, SLACK_SECRET } from '../support/test-app.ts';
import { garbageBytes, hostileString, hostileValue, jsonText, RawJson } from './hostile-json.ts';

/** The rep the generated commands, buttons and replies come from. */
export const REP = 'U0FUZZREP01';
/** A port nothing listens on: answering through this response_url fails at once. */
const DEAD_URL = 'http://127.0.0.1:9/response/gone';
const RUN = Date.now().toString(36);

let serial = 0;
/** A message ts no other body of this run used: a replayed body must not look like a retry. */
export const freshTs = () => `${Math.floor(Date.now() / 1000)}.${String(++serial).padStart(6, '0')}`;
export const freshEventId = () => `EvFZ${RUN}${++serial}`.toUpperCase();

/**
 * A value known only once the app runs (the card's channel, a response_url of the fake Slack...),
 * put in place when the body is sent so the generated plans print and replay.
 */
class Slot {
  readonly name: 'channel' | 'threadTs' | 'leadId' | 'leadChoice' | 'ts' | 'eventId' | 'responseUrl';
  constructor(name: Slot['name']) {
    this.name = name;
  }
}
const slot = (name: Slot['name']) => fc.constant(new Slot(name));
export const DELETE = Symbol('delete');

/** The lead the generated buttons and replies point at, and where response_urls go. */
export interface SlackTargets {
  channel: string;
  threadTs: string;
  leadId: string;
  responseUrl(): string;
}

/** The plan as JSON-ready values: slots filled in, DELETE members left out. */
export function resolve(targets: SlackTargets, value: unknown): unknown {
  if (value instanceof Slot) {
    switch (value.name) {
      case 'channel':
        return targets.channel;
      case 'threadTs':
        return targets.threadTs;
      case 'leadId':
        return targets.leadId;
      case 'leadChoice':
        return `${targets.leadId}|3`;
      case 'ts':
        return freshTs();
      case 'eventId':
        return freshEventId();
      case 'responseUrl':
        return targets.responseUrl();
    }
  }
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((inner) => resolve(targets, inner));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== DELETE) out[key] = resolve(targets, inner);
  return out;
}

const maybe = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary, weight: 4 }, { arbitrary: fc.constant<typeof DELETE>(DELETE), weight: 1 });
/** Mostly the field as Slack sends it, else a hostile string, any JSON value, or no field at all. */
const orHostile = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof(
    { arbitrary, weight: 7 },
    { arbitrary: hostileString(), weight: 1 },
    { arbitrary: hostileValue, weight: 1 },
    { arbitrary: fc.constant(DELETE), weight: 1 },
  );

// --- Events API callbacks (JSON) ---------------------------------------------------------------

const messageEvent = fc.record({
  type: fc.constant('message'),
  channel: orHostile(slot('channel')),
  channel_type: maybe(fc.constantFrom('im', 'channel', 'group')),
  user: orHostile(fc.constantFrom(REP, ADMIN)),
  text: orHostile(hostileString(40)),
  ts: orHostile(slot('ts')),
  thread_ts: orHostile(slot('threadTs')),
  subtype: fc.oneof(
    { arbitrary: fc.constant(DELETE), weight: 4 },
    {
      arbitrary: fc.constantFrom('file_share', 'message_changed', 'message_deleted', 'bot_message'),
      weight: 1,
    },
    { arbitrary: hostileString(), weight: 1 },
  ),
  bot_id: fc.oneof({ arbitrary: fc.constant(DELETE), weight: 4 }, fc.constant('B0FUZZ'), hostileValue),
  files: maybe(hostileValue),
});

const otherEvent = fc.record({
  type: fc.oneof(
    fc.constantFrom('app_mention', 'reaction_added', 'app_home_opened', 'member_joined_channel', 'message'),
    hostileString(),
  ),
  user: orHostile(fc.constant(REP)),
  channel: orHostile(slot('channel')),
  item: maybe(hostileValue),
  event_ts: orHostile(slot('ts')),
});

const eventCallback = fc.record({
  token: maybe(hostileString()),
  team_id: maybe(fc.constant('T0FAKETEAM')),
  api_app_id: maybe(fc.constant('A0APP')),
  type: fc.oneof({ arbitrary: fc.constant('event_callback'), weight: 6 }, hostileString(), hostileValue),
  event_id: orHostile(slot('eventId')),
  event_time: orHostile(fc.integer({ min: 0, max: 2 ** 31 })),
  event: fc.oneof(
    { arbitrary: messageEvent, weight: 4 },
    { arbitrary: otherEvent, weight: 2 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.constant(DELETE), weight: 1 },
    { arbitrary: hostileValue, weight: 1 },
  ),
  authorizations: maybe(hostileValue),
  is_ext_shared_channel: maybe(hostileValue),
});

const urlVerification = fc.record({
  type: fc.constant('url_verification'),
  token: maybe(hostileString()),
  challenge: orHostile(hostileString()),
});

const rateLimited = fc.record({
  type: fc.constant('app_rate_limited'),
  minute_rate_limited: orHostile(fc.integer()),
  team_id: maybe(hostileString()),
});

// --- Slash commands and interactivity (forms) ----------------------------------------------------

const commandText = fc.oneof(
  fc.constantFrom('help', 'today', 'staff list', 'lead', 'staff', 'staff add', ''),
  hostileString(),
  hostileString().map((text) => `lead ${text}`),
  hostileString().map((text) => `staff add <@${text}> rep`),
  hostileString().map((text) => `staff remove <@U0NOBODY${text}>`),
);

const slashCommand = fc.record({
  token: maybe(fc.constant('legacy')),
  team_id: maybe(fc.constant('T0FAKETEAM')),
  channel_id: orHostile(fc.constant('C0SOMEWHERE')),
  user_id: orHostile(fc.constantFrom(REP, ADMIN, 'U0NOTSTAFF')),
  command: orHostile(fc.constant('/tsuikyaku')),
  text: orHostile(commandText),
  response_url: fc.oneof(
    slot('responseUrl'),
    fc.constantFrom(DEAD_URL, 'javascript:alert(1)', ''),
    hostileString(),
  ),
  trigger_id: maybe(hostileString()),
});

const person = orHostile(
  fc.oneof(
    fc.constantFrom(REP, ADMIN, 'U0NOTSTAFF').map((id) => ({ id })),
    hostileString().map((id) => ({ id })),
    fc.constant({}),
  ),
);

const action = fc.record(
  {
    action_id: orHostile(fc.constantFrom(...Object.values(ACTION), CLAIM_ACTION_ID, 'unknown_action')),
    block_id: orHostile(fc.oneof(fc.constant('b'), hostileString())),
    type: fc.constantFrom('button', 'static_select', 'users_select', 'overflow'),
    value: orHostile(fc.oneof(slot('leadId'), slot('leadChoice'))),
    selected_option: orHostile(
      fc.record({ value: orHostile(fc.oneof(slot('leadChoice'), slot('leadId'), hostileString())) }),
    ),
    selected_user: orHostile(fc.constantFrom(REP, ADMIN)),
    action_ts: maybe(fc.constant('1.1')),
  },
  { requiredKeys: ['action_id'] },
);

const blockActions = fc.record({
  type: fc.constant('block_actions'),
  user: person,
  team: maybe(fc.constant({ id: 'T0FAKETEAM' })),
  trigger_id: orHostile(fc.constant('trigger.fuzz')),
  channel: orHostile(fc.record({ id: orHostile(slot('channel')) })),
  message: orHostile(fc.record({ ts: orHostile(slot('threadTs')) })),
  container: maybe(hostileValue),
  response_url: fc.oneof(
    slot('responseUrl'),
    fc.constantFrom(DEAD_URL, ''),
    hostileString(),
    fc.constant(DELETE),
  ),
  actions: fc.oneof(
    { arbitrary: fc.array(action, { minLength: 1, maxLength: 2 }), weight: 4 },
    { arbitrary: fc.constant([]), weight: 1 },
    { arbitrary: hostileValue, weight: 1 },
    { arbitrary: fc.constant(DELETE), weight: 1 },
  ),
});

const viewPayload = fc.record({
  type: fc.constantFrom('view_submission', 'view_closed'),
  user: person,
  trigger_id: maybe(hostileString()),
  view: orHostile(
    fc.record({
      id: maybe(hostileString()),
      callback_id: orHostile(fc.constantFrom(...Object.values(CALLBACK), 'unknown_modal')),
      private_metadata: orHostile(
        fc.oneof(
          slot('leadId'),
          hostileString(),
          hostileValue.map((value) => jsonText(value)),
        ),
      ),
      state: orHostile(fc.record({ values: orHostile(fc.dictionary(hostileString(8), hostileValue)) })),
    }),
  ),
  response_urls: maybe(
    fc.oneof(
      hostileValue,
      slot('responseUrl').map((url) => [{ response_url: url }]),
    ),
  ),
});

const otherInteraction = fc.record({
  type: fc.oneof(fc.constantFrom('shortcut', 'message_action', 'block_suggestion'), hostileString()),
  user: person,
  callback_id: maybe(hostileString()),
  response_url: maybe(slot('responseUrl')),
});

const interactionPayload = fc.oneof(
  { arbitrary: blockActions.map((value) => ({ json: value })), weight: 4 },
  { arbitrary: viewPayload.map((value) => ({ json: value })), weight: 2 },
  { arbitrary: otherInteraction.map((value) => ({ json: value })), weight: 1 },
  { arbitrary: hostileValue.map((value) => ({ json: value })), weight: 1 },
  // Not JSON at all.
  {
    arbitrary: fc.oneof(hostileString(), fc.constantFrom('{', 'null', 'NaN', '')).map((text) => ({ text })),
    weight: 1,
  },
);

/** Form fields written by hand: bad percent escapes, escaped UTF-8 of a lone surrogate, repeats. */
const rawForm = fc.constantFrom(
  'payload=%7B',
  'payload=%ED%A0%80',
  'payload=%zz&payload=%7B%7D',
  'command=%2Ftsuikyaku&user_id=%00&text=help',
  'command=%2Ftsuikyaku&command=x&user_id=U1&user_id=U2&text=%ED%A0%80',
  'ssl_check=1&token=x',
  'ssl_check=1&payload=%7B',
  '&&&==&',
  '%',
);

export const slackBody = fc.oneof(
  { arbitrary: eventCallback.map((json) => ({ json })), weight: 6 },
  { arbitrary: urlVerification.map((json) => ({ json })), weight: 1 },
  { arbitrary: rateLimited.map((json) => ({ json })), weight: 1 },
  { arbitrary: hostileValue.map((json) => ({ json })), weight: 1 },
  { arbitrary: slashCommand.map((fields) => ({ fields })), weight: 3 },
  { arbitrary: interactionPayload.map((payload) => ({ payload })), weight: 5 },
  { arbitrary: rawForm.map((raw) => ({ raw })), weight: 1 },
  { arbitrary: garbageBytes.map((bytes) => ({ bytes })), weight: 1 },
);
type SlackBodyPlan = typeof slackBody extends fc.Arbitrary<infer T> ? T : never;

/** The bytes of a planned body, and the content type Slack would send them with. */
export function buildSlackBody(
  targets: SlackTargets,
  plan: SlackBodyPlan,
): { bytes: Buffer; natural: string } {
  const form = 'application/x-www-form-urlencoded';
  if ('bytes' in plan) return { bytes: plan.bytes, natural: 'application/json' };
  if ('raw' in plan) return { bytes: Buffer.from(plan.raw), natural: form };
  if ('json' in plan)
    return { bytes: Buffer.from(jsonText(resolve(targets, plan.json))), natural: 'application/json' };
  if ('fields' in plan) {
    const fields = resolve(targets, plan.fields) as Record<string, unknown>;
    const text = new URLSearchParams(
      Object.entries(fields).map(([key, value]): [string, string] => [
        key,
        typeof value === 'string' ? value : jsonText(value),
      ]),
    ).toString();
    return { bytes: Buffer.from(text), natural: form };
  }
  const payload = 'json' in plan.payload ? jsonText(resolve(targets, plan.payload.json)) : plan.payload.text;
  return { bytes: Buffer.from(new URLSearchParams({ payload }).toString()), natural: form };
}

// --- Who signed it, and when ---------------------------------------------------------------------

/** Slack's v0 signature (as signSlackBody makes it) over the exact bytes and timestamp header. */
export function slackSignature(bytes: Buffer, timestamp: string, secret = SLACK_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(bytes).digest('hex')}`;
}

/**
 * When a request says it was signed: `now+N`/`now-N` seconds from our clock (Slack's window is
 * 5 minutes either way), `now` padded with a space, or a header value as written.
 */
const ACCEPTED_TIMES = ['now+0', 'now+290', 'now-290'];
const REFUSED_TIMES = [
  'now+400',
  'now+86400',
  'now-400',
  'now-86400',
  ' now',
  'now ',
  '1e20',
  'Infinity',
  '-1',
  '1.5',
  'NaN',
  '',
  'abc',
  '0',
  '99999999999999999999',
  '0x10',
];
export const slackAuth = fc.oneof(
  { arbitrary: fc.constantFrom(...ACCEPTED_TIMES).map((at) => ({ kind: 'signed' as const, at })), weight: 8 },
  {
    arbitrary: fc.constantFrom(...REFUSED_TIMES).map((at) => ({ kind: 'bad-time' as const, at })),
    weight: 3,
  },
  fc.constantFrom(
    { kind: 'no-signature' as const },
    { kind: 'no-timestamp' as const },
    { kind: 'other-secret' as const },
    { kind: 'v1' as const },
  ),
  fc.stringMatching(/^v0=[0-9a-f]{0,70}$/).map((value) => ({ kind: 'forged' as const, value })),
);
type AuthPlan = typeof slackAuth extends fc.Arbitrary<infer T> ? T : never;

function timestampHeader(at: string): string {
  const now = Math.floor(Date.now() / 1000);
  const offset = /^now([+-]\d+)$/.exec(at)?.[1];
  if (offset !== undefined) return String(now + Number(offset));
  return at.replace('now', String(now));
}

export function authHeaders(plan: AuthPlan, bytes: Buffer): Record<string, string | null> {
  const now = String(Math.floor(Date.now() / 1000));
  switch (plan.kind) {
    case 'signed':
    case 'bad-time': {
      const timestamp = timestampHeader(plan.at);
      return {
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': slackSignature(bytes, timestamp),
      };
    }
    case 'no-signature':
      return { 'x-slack-request-timestamp': now, 'x-slack-signature': null };
    case 'no-timestamp':
      return { 'x-slack-request-timestamp': null, 'x-slack-signature': slackSignature(bytes, now) };
    case 'other-secret':
      return {
        'x-slack-request-timestamp': now,
        'x-slack-signature': slackSignature(bytes, now, `${SLACK_SECRET}x`),
      };
    case 'v1':
      return {
        'x-slack-request-timestamp': now,
        'x-slack-signature': slackSignature(bytes, now).replace('v0=', 'v1='),
      };
    case 'forged':
      return { 'x-slack-request-timestamp': now, 'x-slack-signature': plan.value };
  }
}

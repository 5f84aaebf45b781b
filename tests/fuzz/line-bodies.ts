import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { FakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import {
  followEvent,
  imageMessageEvent,
  postbackEvent,
  signLineBody,
  stickerMessageEvent,
  textMessageEvent,
  unfollowEvent,
} from '../../adapters/line/fake/line-webhook-events.ts';
import { LINE_SECRET } from '../support/test-app.ts';
import {
  deepJson,
  garbageBytes,
  hostileString,
  hostileValue,
  jsonText,
  oddNumber,
  RawJson,
  storable,
} from './hostile-json.ts';

// Generated values are plans; ids are made when a body is built. fast-check replays a plan while
// shrinking, and each replay must bring events and users the database has not seen.
const RUN = randomBytes(4).toString('hex');
let serial = 0;
/** A LINE user id of LINE's shape (`U` + 32 hex digits) that no other body of this run used. */
export const freshLineUser = () => `U${RUN}${(serial++).toString(16).padStart(24, '0')}`;
const freshMarker = () => `fz${RUN}${(serial++).toString(36)}`;

const DELETE = Symbol('delete');
const DESTINATION = 'U00000000000000000000000000000b07';
const RECENT = Date.parse('2026-11-25T01:00:00Z');

/** Sets (or with DELETE removes) the value at `path`, making the objects on the way. */
function put(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === DELETE) delete target[head];
    else target[head] = value;
    return;
  }
  const inner = target[head];
  const next = inner && typeof inner === 'object' && !Array.isArray(inner) ? inner : {};
  target[head] = next;
  put(next as Record<string, unknown>, rest, value);
}

type BaseKind = 'text' | 'follow' | 'unfollow' | 'sticker' | 'image' | 'postback' | 'beacon' | 'group-text';
const baseKind = fc.constantFrom<BaseKind>(
  'text',
  'text',
  'follow',
  'unfollow',
  'sticker',
  'image',
  'postback',
  'beacon',
  'group-text',
);

function baseEvent(
  line: FakeLineApi,
  kind: BaseKind,
  user: string,
  text: string,
  timestamp: number,
): Record<string, unknown> {
  const opts = { timestamp };
  const event = (() => {
    switch (kind) {
      case 'text':
        return textMessageEvent(line, user, text, opts);
      case 'group-text':
        return {
          ...textMessageEvent(line, user, text, opts),
          source: { type: 'group', groupId: 'C1', userId: user },
        };
      case 'follow':
        return followEvent(line, user, opts);
      case 'unfollow':
        return unfollowEvent(user, opts);
      case 'sticker':
        return stickerMessageEvent(line, user, '446', '1988', opts);
      case 'image':
        return imageMessageEvent(line, user, opts);
      case 'postback':
        return postbackEvent(line, user, text, opts);
      case 'beacon':
        return {
          ...unfollowEvent(user, opts),
          type: 'beacon',
          beacon: { hwid: 'd41d8cd98f', type: 'enter' },
        };
    }
  })();
  return event as unknown as Record<string, unknown>;
}

// --- Any body: envelopes, real-looking events with fields broken, garbage -----------------------

const eventPath = fc.constantFrom(
  ['timestamp'],
  ['webhookEventId'],
  ['type'],
  ['mode'],
  ['source'],
  ['source', 'type'],
  ['source', 'userId'],
  ['message'],
  ['message', 'id'],
  ['message', 'type'],
  ['message', 'text'],
  ['replyToken'],
  ['deliveryContext'],
  ['follow', 'isUnblocked'],
  ['extra'],
  ['extra', 'deeper'],
);

/** A real-looking event with some fields replaced by hostile values or removed. */
const mutatedEvent = fc.record({
  kind: baseKind,
  text: hostileString(),
  changes: fc.array(fc.tuple(eventPath, fc.oneof(fc.constant<unknown>(DELETE), hostileValue)), {
    maxLength: 3,
  }),
});

const eventItem = fc.oneof(
  { arbitrary: mutatedEvent.map((plan) => ({ plan })), weight: 3 },
  { arbitrary: hostileValue.map((value) => ({ value })), weight: 1 },
);
type EventItem = typeof eventItem extends fc.Arbitrary<infer T> ? T : never;

/** Mostly a webhook envelope, so the events get checked; now and then a broken one. */
const envelope = fc.record({
  destination: fc.oneof(
    { arbitrary: fc.constant(DESTINATION), weight: 6 },
    { arbitrary: hostileString(), weight: 2 },
    { arbitrary: hostileValue, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  ),
  events: fc.oneof(
    { arbitrary: fc.array(eventItem, { maxLength: 5 }), weight: 8 },
    { arbitrary: hostileValue.map((value) => ({ value })), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  ),
});

export const lineBody = fc.oneof(
  { arbitrary: envelope.map((plan) => ({ envelope: plan })), weight: 4 },
  { arbitrary: garbageBytes.map((bytes) => ({ bytes })), weight: 1 },
  { arbitrary: hostileValue.map((value) => ({ value })), weight: 1 },
);
type LineBodyPlan = typeof lineBody extends fc.Arbitrary<infer T> ? T : never;

export function buildLineBody(line: FakeLineApi, plan: LineBodyPlan): Buffer {
  if ('bytes' in plan) return plan.bytes;
  if ('value' in plan) return Buffer.from(jsonText(plan.value));
  const { destination, events } = plan.envelope;
  const build = (item: EventItem) => {
    if ('value' in item) return item.value;
    const event = baseEvent(line, item.plan.kind, freshLineUser(), item.plan.text, RECENT);
    for (const [path, value] of item.plan.changes) put(event, path, value);
    return event;
  };
  const built = Array.isArray(events) ? events.map(build) : events?.value;
  return Buffer.from(jsonText({ destination, events: built }));
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
export const lineSigning = fc.oneof(
  { arbitrary: fc.constant({ kind: 'signed' as const }), weight: 5 },
  fc.constant({ kind: 'missing' as const }),
  fc.constant({ kind: 'other-secret' as const }),
  fc.constant({ kind: 'other-body' as const }),
  fc
    .string({ unit: fc.constantFrom(...BASE64), maxLength: 64 })
    .map((value) => ({ kind: 'forged' as const, value })),
);

export function lineSignature(
  plan: typeof lineSigning extends fc.Arbitrary<infer T> ? T : never,
  body: Buffer,
) {
  switch (plan.kind) {
    case 'signed':
      return signLineBody(body, LINE_SECRET);
    case 'missing':
      return null;
    case 'other-secret':
      return signLineBody(body, `${LINE_SECRET}x`);
    case 'other-body':
      return signLineBody(Buffer.concat([body, Buffer.from(' ')]), LINE_SECRET);
    case 'forged':
      return plan.value;
  }
}

// --- Mixed batches: valid events beside events LINE would never send ---------------------------

/** How an invalid event is spoilt; `whole` replaces the event itself. */
const spoil = fc.oneof(
  fc
    .oneof(
      // 1e-400 reads as 0, a valid time.
      oddNumber.filter((value) => !(value instanceof RawJson && value.text === '1e-400')),
      fc.constantFrom<unknown>('1700000000000', 'NaN', 'Infinity', '', null, true, [], {}, DELETE),
    )
    .map((value) => ({ field: 'timestamp', value })),
  fc
    .constantFrom<unknown>(DELETE, '', 123, null, 'x'.repeat(129), ['id'], { id: 1 })
    .map((value) => ({ field: 'webhookEventId', value })),
  fc.constantFrom<unknown>(DELETE, '', 7, null, 't'.repeat(65)).map((value) => ({ field: 'type', value })),
  fc.constantFrom<unknown>('user', 42, []).map((value) => ({ field: 'source', value })),
  fc
    .constantFrom<unknown>(42, 'U'.repeat(129), { id: 'U1' })
    .map((value) => ({ field: 'source.userId', value })),
  fc
    .integer({ min: 100, max: 10_000 })
    .chain((depth) => fc.constantFrom(deepJson(depth), deepJson(depth, 'object')))
    .map((value) => ({ field: 'extra', value: value as unknown })),
  fc
    .constantFrom<unknown>(null, 42, 'event', [], true, new RawJson('1e999'))
    .map((value) => ({ field: 'whole', value })),
);

/** What a real event may carry in a field we do not know: hostile strings, never deep. */
const shallowJunk = fc.option(
  fc.dictionary(hostileString(6), fc.oneof(hostileString(), fc.integer(), fc.boolean()), { maxKeys: 3 }),
  { nil: undefined },
);

const batchItem = fc.oneof(
  {
    arbitrary: fc.record({
      valid: fc.constant(true as const),
      kind: baseKind,
      user: fc.nat(2),
      text: hostileString(40),
      junk: shallowJunk,
      redelivery: fc.boolean(),
      timestamp: fc.oneof(
        fc.integer({ min: RECENT - 30 * 86_400_000, max: RECENT }),
        fc.constant(0),
        fc.constant(RECENT + 3_600_000),
      ),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      valid: fc.constant(false as const),
      user: fc.nat(2),
      text: hostileString(),
      spoil,
    }),
    weight: 2,
  },
);
type BatchItem = typeof batchItem extends fc.Arbitrary<infer T> ? T : never;

export const mixedBatch = fc.record({
  items: fc.array(batchItem, { minLength: 1, maxLength: 8 }),
  /** LINE can put the same event twice in one body; it counts once. */
  twin: fc.boolean(),
  displayNames: fc.array(fc.option(hostileString(), { nil: undefined }), { minLength: 3, maxLength: 3 }),
});

export interface MixedBatch {
  body: Buffer;
  users: string[];
  validIds: string[];
  twins: number;
  /** The storable form of each valid one-to-one text message: each must be in `messages` once. */
  texts: string[];
  invalid: number;
  /**
   * Invalid events by their webhookEventId (key), or without one (key null, the row is keyed by a
   * hash) by the marker that starts their text, followed by a space.
   */
  letters: { key: string | null; marker: string }[];
}

export function buildMixedBatch(
  line: FakeLineApi,
  plan: typeof mixedBatch extends fc.Arbitrary<infer T> ? T : never,
): MixedBatch {
  const users = [freshLineUser(), freshLineUser(), freshLineUser()];
  plan.displayNames.forEach((name, i) => {
    if (name !== undefined) line.setProfile(users[i] as string, { displayName: name });
  });
  const batch: MixedBatch = {
    body: Buffer.alloc(0),
    users,
    validIds: [],
    twins: 0,
    texts: [],
    invalid: 0,
    letters: [],
  };
  const events = plan.items.map((item) => buildItem(line, item, users[item.user] as string, batch));
  const firstValid = events.find((_, i) => plan.items[i]?.valid);
  if (plan.twin && firstValid) {
    events.push(firstValid);
    batch.twins = 1;
  }
  batch.body = Buffer.from(jsonText({ destination: DESTINATION, events }));
  return batch;
}

function buildItem(line: FakeLineApi, item: BatchItem, user: string, batch: MixedBatch): unknown {
  const marker = freshMarker();
  const text = `${marker} ${item.text}`;
  if (item.valid) {
    const event = baseEvent(line, item.kind, user, text, item.timestamp);
    if (item.junk) event.junk = item.junk;
    if (item.redelivery) event.deliveryContext = { isRedelivery: true };
    batch.validIds.push(String(event.webhookEventId));
    if (item.kind === 'text') batch.texts.push(storable(text));
    return event;
  }
  batch.invalid += 1;
  const { field, value } = item.spoil;
  if (field === 'whole') return value;
  const event = baseEvent(line, 'text', user, text, RECENT);
  put(event, field.split('.'), value);
  batch.letters.push({ key: field === 'webhookEventId' ? null : String(event.webhookEventId), marker });
  return event;
}

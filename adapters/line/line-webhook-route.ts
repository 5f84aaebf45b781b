import { createHash } from 'node:crypto';
import { validateSignature } from '@line/bot-sdk';
import type { FastifyPluginAsync } from 'fastify';
import type { FollowUpPolicy } from '../../src/domain/follow-up-policy.ts';
import { storableJson, storableText } from '../../src/domain/storable-text.ts';
import { AppError, rootMessage } from '../../src/errors.ts';
import { type Metrics, noMetrics } from '../../src/metrics.ts';
import type { Clock, Store } from '../../src/ports.ts';
import {
  type InboundLineEvent,
  type IngestResult,
  ingestLineEvents,
} from '../../src/use-cases/ingest-line-events.ts';
import type { SequenceSettings } from '../../src/use-cases/sequences/sequence-settings.ts';
import { IngestBatcher } from './ingest-batcher.ts';
import { eventSchema, toInboundEvent, webhookBodySchema } from './line-webhook-events.ts';

export interface LineWebhookOptions {
  channelSecret: string;
  store: Store;
  clock: Clock;
  policy: FollowUpPolicy;
  /** Step sequences: follows greet, messages pause, keywords opt out, questionnaire taps answer. */
  sequences?: SequenceSettings;
  /** Called after the events are committed, to start delivering what they caused at once. */
  onCommitted: () => void;
  metrics?: Metrics;
}

/**
 * POST /webhooks/line. Its own plugin scope, so the raw-bytes body parser applies here only:
 * the signature is an HMAC of the exact bytes LINE sent.
 * https://developers.line.biz/en/docs/messaging-api/verify-webhook-signature/
 * Only a body that is not a webhook at all gets 400. Each event is made storable (NUL and lone
 * surrogates become U+FFFD) and checked on its own; an event that is malformed, or that the
 * database still refuses, is kept whole in dead_letters with the reason, and the rest are stored.
 */
export const lineWebhookRoute: FastifyPluginAsync<LineWebhookOptions> = async (app, options) => {
  const deps = {
    store: options.store,
    clock: options.clock,
    policy: options.policy,
    ...(options.sequences ? { sequences: options.sequences } : {}),
  };
  const metrics = options.metrics ?? noMetrics;
  const setAside = async (key: string, raw: string, reason: string) => {
    await options.store.deadLetters.add({
      source: 'line_webhook',
      key,
      reason: storableText(reason).slice(0, 2000),
      raw: storableText(raw),
      at: options.clock.now(),
    });
  };
  const batcher = new IngestBatcher(
    // Counted where an ingest commits: a batch that fails is retried in parts, each counted once.
    async (events) => countedIngest(metrics, events, await ingestLineEvents(deps, events)),
    async (event, reason) => {
      await setAside(event.webhookEventId, jsonText(event.raw), reason);
      metrics.lineWebhookEvent(typeOf(event), 'dead_lettered');
    },
  );
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  app.post('/webhooks/line', async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers['x-line-signature'];
    if (typeof signature !== 'string' || !validateSignature(body, options.channelSecret, signature)) {
      metrics.lineWebhookEvent('unknown', 'rejected');
      throw new AppError('bad_signature', 'missing or invalid x-line-signature');
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      metrics.lineWebhookEvent('unknown', 'rejected');
      throw new AppError('bad_request', 'the body is not valid JSON');
    }
    const parsed = webhookBodySchema.safeParse(json);
    if (!parsed.success) {
      metrics.lineWebhookEvent('unknown', 'rejected');
      throw new AppError(
        'bad_request',
        'the body is not a LINE webhook',
        parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      );
    }
    const events: InboundLineEvent[] = [];
    let deadLettered = 0;
    for (const raw of parsed.data.events) {
      const checked = checkEvent(raw, body);
      if (checked.ok) {
        events.push(checked.event);
        continue;
      }
      await setAside(checked.key, checked.raw ?? jsonText(raw, body), checked.reason);
      metrics.lineWebhookEvent(rawTypeOf(raw), 'dead_lettered');
      deadLettered += 1;
    }
    const result = await batcher.submit(events).catch((error: unknown) => {
      // LINE delivers the webhook again; its events are counted again then.
      for (const event of events) metrics.lineWebhookEvent(typeOf(event), 'failed');
      throw error;
    });
    if (result.stored > 0) options.onCommitted();
    deadLettered += result.deadLettered;
    return reply.code(200).send({
      ok: true,
      stored: result.stored,
      duplicates: result.duplicates,
      ...(deadLettered > 0 ? { deadLettered } : {}),
    });
  });
};

type Checked =
  | { ok: true; event: InboundLineEvent }
  | { ok: false; key: string; reason: string; raw?: string };

function checkEvent(raw: unknown, body: Buffer): Checked {
  const idOf = (value: unknown) => {
    const id = (value as { webhookEventId?: unknown } | null)?.webhookEventId;
    return typeof id === 'string' && id.length > 0 && id.length <= 128 ? storableText(id) : null;
  };
  let clean: unknown;
  try {
    clean = storableJson(raw);
  } catch (error) {
    // Too deep to walk: not even serialised again, keyed by the body it came in.
    return {
      ok: false,
      key: idOf(raw) ?? hashOf(body),
      reason: rootMessage(error),
      raw: body.toString('utf8'),
    };
  }
  const event = eventSchema.safeParse(clean);
  if (!event.success) {
    const reason = event.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
      .join('; ');
    return { ok: false, key: idOf(clean) ?? hashOf(jsonText(clean)), reason: `not a LINE event: ${reason}` };
  }
  return { ok: true, event: toInboundEvent(event.data) };
}

function countedIngest(metrics: Metrics, events: InboundLineEvent[], result: IngestResult): IngestResult {
  const counted = new Set<string>();
  for (const event of events) {
    const first = result.storedIds.has(event.webhookEventId) && !counted.has(event.webhookEventId);
    if (first) counted.add(event.webhookEventId);
    metrics.lineWebhookEvent(typeOf(event), first ? 'stored' : 'duplicate');
  }
  return result;
}

/** LINE's own event type (message, follow, postback...). */
function typeOf(event: InboundLineEvent): string {
  return event.type === 'other' ? event.eventType : event.type;
}

function rawTypeOf(raw: unknown): string {
  const type = (raw as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'unknown';
}

/** The item as JSON text; a value too deep to serialise is kept as the whole body it came in. */
function jsonText(value: unknown, body?: Buffer): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return body ? body.toString('utf8') : '(not serialisable)';
  }
}

function hashOf(text: string | Buffer): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

import { validateSignature } from '@line/bot-sdk';
import type { FastifyPluginAsync } from 'fastify';
import type { FollowUpPolicy } from '../../src/domain/follow-up-policy.ts';
import { AppError } from '../../src/errors.ts';
import type { Clock, Store } from '../../src/ports.ts';
import { ingestLineEvents } from '../../src/use-cases/ingest-line-events.ts';
import { IngestBatcher } from './ingest-batcher.ts';
import { toInboundEvent, webhookBodySchema } from './line-webhook-events.ts';

export interface LineWebhookOptions {
  channelSecret: string;
  store: Store;
  clock: Clock;
  policy: FollowUpPolicy;
  /** Called after the events are committed, to start delivering what they caused at once. */
  onCommitted: () => void;
}

/**
 * POST /webhooks/line. Its own plugin scope, so the raw-bytes body parser applies here only:
 * the signature is an HMAC of the exact bytes LINE sent.
 * https://developers.line.biz/en/docs/messaging-api/verify-webhook-signature/
 */
export const lineWebhookRoute: FastifyPluginAsync<LineWebhookOptions> = async (app, options) => {
  const deps = { store: options.store, clock: options.clock, policy: options.policy };
  const batcher = new IngestBatcher((events) => ingestLineEvents(deps, events));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  app.post('/webhooks/line', async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers['x-line-signature'];
    if (typeof signature !== 'string' || !validateSignature(body, options.channelSecret, signature)) {
      throw new AppError('bad_signature', 'missing or invalid x-line-signature');
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppError('bad_request', 'the body is not valid JSON');
    }
    const parsed = webhookBodySchema.safeParse(json);
    if (!parsed.success) {
      throw new AppError(
        'bad_request',
        'the body is not a LINE webhook',
        parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      );
    }
    const result = await batcher.submit(parsed.data.events.map(toInboundEvent));
    if (result.stored > 0) options.onCommitted();
    return reply.code(200).send({ ok: true, ...result });
  });
};

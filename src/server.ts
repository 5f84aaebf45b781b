import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { AppError, httpStatusOf } from './errors.ts';
import type { InboundGate } from './inbound-gate.ts';

export interface ServerParts {
  logger: PinoLogger;
  lineWebhook: FastifyPluginAsync;
  slackEvents: FastifyPluginAsync;
  isReady: () => Promise<boolean>;
  /** GET /metrics, when the composition provides it. */
  metrics?: FastifyPluginAsync;
  /** Counts the requests being answered, so background work lets them go first. */
  inbound?: InboundGate;
}

/** Builds the HTTP app without listening, so tests drive the same app main.ts serves. */
export function buildServer(parts: ServerParts): FastifyInstance {
  const app = Fastify({ loggerInstance: parts.logger as FastifyBaseLogger, return503OnClosing: true });

  const { inbound } = parts;
  if (inbound) {
    // Each request leaves once: when its answer is sent, or when the caller gives up first.
    const counted = new WeakSet<object>();
    app.addHook('onRequest', async (request) => {
      counted.add(request);
      inbound.enter();
    });
    const leave = async (request: object) => {
      if (counted.delete(request)) inbound.leave();
    };
    app.addHook('onResponse', leave);
    app.addHook('onRequestAbort', leave);
  }

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      const status = httpStatusOf[error.code];
      if (status >= 500) request.log.error({ err: error }, error.message);
      return reply.code(status).send({
        error: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'bad_request', message: (error as Error).message });
    }
    // Never leak internals: the log has the details, the caller gets a code.
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });

  // Fastify's own 404 logs the requested URL, which may carry a LINE user ID (the sandbox's do).
  app.setNotFoundHandler(async () => {
    throw new AppError('not_found', 'no such route');
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await parts.isReady().catch(() => false);
    return reply.code(ready ? 200 : 503).send({ ok: ready, database: ready ? 'ready' : 'unavailable' });
  });

  // Each webhook lives in its own plugin scope: their raw-body parsers must not leak to each other.
  app.register(parts.lineWebhook);
  app.register(parts.slackEvents);
  if (parts.metrics) app.register(parts.metrics);
  return app;
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export interface MetricsRouteOptions {
  registry: Registry;
  /** When set, a scrape must send `Authorization: Bearer <token>`; unset, /metrics is open. */
  token: string | undefined;
}

/**
 * GET /metrics in Prometheus text format, on the service's own port. Scrapes are logged at warn
 * only: one every 15 seconds would drown the request log.
 */
export const metricsRoute: FastifyPluginAsync<MetricsRouteOptions> = async (app, options) => {
  const expected = options.token === undefined ? undefined : digest(options.token);
  app.get('/metrics', { logLevel: 'warn' }, async (request, reply) => {
    if (expected && !bearerMatches(request.headers.authorization, expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({ error: 'unauthorized', message: 'a valid bearer token is required' });
    }
    const text = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(text);
  });
};

/** Compares digests, which always have the same length, so the time taken says nothing about the token. */
function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

// Child process for the ingest anchor: a bare Fastify POST route that only parses the JSON body
// (Fastify's built-in parser) and answers 200. No signature check, no database.
import Fastify from 'fastify';
import { reportFailure, serveParent } from './child-ipc.ts';

try {
  const app = Fastify({ logger: false });
  app.post('/webhooks/line', async (request) => {
    const body = request.body as { events?: unknown[] } | null;
    return { ok: true, events: Array.isArray(body?.events) ? body.events.length : 0 };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  serveParent(() => app.close());
  process.send?.({ type: 'ready', url });
} catch (error) {
  reportFailure(error);
}

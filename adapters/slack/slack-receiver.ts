import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { verifySlackRequest } from '@slack/bolt';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../../src/errors.ts';
import type { Logger } from '../../src/ports.ts';

/** Slack shows the user an error when a command or button gets no answer within 3 s. */
const ACK_TIMEOUT_MS = 3000;

/**
 * Bolt's receiver, mounted as a Fastify plugin on POST /slack/events, for events, interactivity
 * and the slash command alike. Fastify owns the port; Bolt only routes to listeners.
 * Events are answered after their listener has stored what it must (so a database failure gives
 * Slack a 500 and Slack retries); commands and actions are answered when the listener acks.
 */
export class FastifySlackReceiver implements Receiver {
  private bolt: App | undefined;
  private readonly signingSecret: string;
  private readonly logger: Logger;

  constructor(options: { signingSecret: string; logger: Logger }) {
    this.signingSecret = options.signingSecret;
    this.logger = options.logger;
  }

  init(app: App): void {
    this.bolt = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  readonly plugin: FastifyPluginAsync = async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    app.post('/slack/events', async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
      const body = parseBody(raw, String(request.headers['content-type'] ?? ''));
      if (body?.ssl_check) return reply.code(200).send();
      try {
        verifySlackRequest({
          signingSecret: this.signingSecret,
          body: raw,
          headers: {
            'x-slack-signature': String(request.headers['x-slack-signature'] ?? ''),
            'x-slack-request-timestamp': Number(request.headers['x-slack-request-timestamp']),
          },
        });
      } catch {
        throw new AppError('bad_signature', 'missing, invalid or stale Slack signature');
      }
      if (!body) throw new AppError('bad_request', 'unreadable Slack payload');
      if (body.type === 'url_verification') return reply.send({ challenge: body.challenge });
      return this.dispatch(body, request.headers, reply);
    });
  };

  private async dispatch(
    body: Record<string, unknown>,
    headers: Record<string, unknown>,
    reply: FastifyReply,
  ) {
    const bolt = this.bolt;
    if (!bolt) throw new AppError('not_ready', 'Slack app is not initialised');
    let settle: (response: unknown) => void = () => {};
    const acked = new Promise<unknown>((resolve) => {
      settle = resolve;
    });
    let ackedOnce = false;
    const retryNum = Number(headers['x-slack-retry-num']);
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (ackedOnce) return;
        ackedOnce = true;
        settle(response);
      },
      ...(Number.isFinite(retryNum)
        ? { retryNum, retryReason: String(headers['x-slack-retry-reason'] ?? '') }
        : {}),
    };
    const processing = bolt.processEvent(event);

    if (body.type === 'event_callback') {
      try {
        await processing;
      } catch (error) {
        this.logger.error({ error: String(error) }, 'Slack event failed; Slack will retry it');
        return reply.code(500).send({ ok: false });
      }
      return reply.code(200).send();
    }

    processing.catch((error: unknown) => {
      this.logger.error({ error: String(error) }, 'Slack listener failed after ack');
      settle(undefined);
    });
    const timeout = setTimeout(() => settle(undefined), ACK_TIMEOUT_MS);
    void processing.finally(() => setTimeout(() => settle(undefined), 0));
    const response = await acked;
    clearTimeout(timeout);
    if (response === undefined || response === '') return reply.code(200).send();
    if (typeof response === 'string') return reply.code(200).type('text/plain; charset=utf-8').send(response);
    return reply.code(200).send(response);
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> | null {
  try {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const form = Object.fromEntries(new URLSearchParams(raw));
      return typeof form.payload === 'string' ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
    }
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

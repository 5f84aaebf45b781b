import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../../src/errors.ts';
import { type Metrics, noMetrics, type SlackRequestResult } from '../../src/metrics.ts';
import type { Logger } from '../../src/ports.ts';
import { describeSlackRequest, type SlackRequest, toSlackRequest } from './slack-request.ts';
import { slackRequestKind } from './slack-request-kind.ts';
import { checkSlackSignature } from './slack-signature.ts';

/** Slack shows the user an error when a command or button gets no answer within 3 s. */
const ACK_TIMEOUT_MS = 3000;
/** A response_url answer is a courtesy: it must not hold anything up. */
const RESPONSE_URL_TIMEOUT_MS = 3000;

export interface SlackReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /**
   * Wall-clock seconds for the replay window. Not the service's business clock, which tests and
   * the sandbox move: Slack signs with the real time.
   */
  nowS?: () => number;
  /** What a person is told when their command, button or form failed on our side. */
  failureText: string;
  metrics?: Metrics;
}

/**
 * Bolt's receiver, mounted as a Fastify plugin on POST /slack/events, for events, interactivity
 * and the slash command alike. Fastify owns the port; Bolt only routes to listeners.
 * The signature is checked on the raw bytes before anything is parsed. Events are answered after
 * their listener has stored what it must (a database failure gives Slack a 500 and Slack
 * retries); commands and actions are answered when the listener acks. A listener that fails is
 * logged and the person is told to try again; nothing it throws escapes this class.
 */
export class FastifySlackReceiver implements Receiver {
  private bolt: App | undefined;
  private readonly options: SlackReceiverOptions;

  constructor(options: SlackReceiverOptions) {
    this.options = options;
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
    const metrics = this.options.metrics ?? noMetrics;
    app.post('/slack/events', async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const contentType = String(request.headers['content-type'] ?? '');
      const check = checkSlackSignature(
        raw,
        {
          signature: request.headers['x-slack-signature'],
          timestamp: request.headers['x-slack-request-timestamp'],
        },
        this.options.signingSecret,
        (this.options.nowS ?? wallClockS)(),
      );
      if (!check.ok) {
        // Slack's certificate check is the one request it does not sign.
        if (isSslCheck(raw, contentType)) {
          metrics.slackRequest('ssl_check', 'ok');
          return reply.code(200).send();
        }
        metrics.slackRequest('unknown', 'bad_signature');
        throw new AppError('bad_signature', `Slack signature refused: ${check.reason}`);
      }
      const parsed = toSlackRequest(raw, contentType);
      if (!parsed.ok) {
        metrics.slackRequest('unknown', 'bad_request');
        throw new AppError('bad_request', parsed.problem);
      }
      const slackRequest = parsed.request;
      const kind = slackRequestKind(slackRequest);
      const count = (result: SlackRequestResult) => metrics.slackRequest(kind, result);
      if (slackRequest.kind === 'ssl_check') {
        count('ok');
        return reply.code(200).send();
      }
      if (slackRequest.kind === 'rate_limited') {
        count('ok');
        this.options.logger.warn({ ...slackRequest.body }, 'Slack is rate-limiting our events');
        return reply.code(200).send();
      }
      if (slackRequest.kind === 'url_verification') {
        count('ok');
        return reply.send({ challenge: slackRequest.body.challenge });
      }
      return this.dispatch(slackRequest, request.headers, reply, count);
    });
  };

  private async dispatch(
    request: Exclude<SlackRequest, { kind: 'ssl_check' | 'url_verification' | 'rate_limited' }>,
    headers: Record<string, unknown>,
    reply: FastifyReply,
    count: (result: SlackRequestResult) => void,
  ) {
    const bolt = this.bolt;
    if (!bolt) throw new AppError('not_ready', 'Slack app is not initialised');
    const { logger } = this.options;
    let settle: (response: unknown) => void = () => {};
    const acked = new Promise<unknown>((resolve) => {
      settle = resolve;
    });
    let ackedOnce = false;
    const retryNum = Number(headers['x-slack-retry-num']);
    const event: ReceiverEvent = {
      body: request.body,
      ack: async (response?: unknown) => {
        if (ackedOnce) return;
        ackedOnce = true;
        settle(response);
      },
      ...(Number.isFinite(retryNum)
        ? { retryNum, retryReason: String(headers['x-slack-retry-reason'] ?? '') }
        : {}),
    };
    // processEvent can throw synchronously on a payload Bolt cannot route; it becomes a rejection here.
    const processing = Promise.resolve().then(() => bolt.processEvent(event));

    if (request.kind === 'event') {
      try {
        await processing;
      } catch (error) {
        logger.error(
          { ...describeSlackRequest(request), error: String(error) },
          'Slack event failed; Slack will retry it',
        );
        count('error');
        return reply.code(500).send({ ok: false });
      }
      count('ok');
      return reply.code(200).send();
    }

    let ackTimedOut = false;
    const timeout = setTimeout(() => {
      ackTimedOut = !ackedOnce;
      settle(undefined);
    }, ACK_TIMEOUT_MS);
    processing.then(
      // A listener that returned without acking still gets Slack its answer (an empty 200).
      () => {
        count(ackTimedOut ? 'ack_timeout' : 'ok');
        setTimeout(() => settle(undefined), 0);
      },
      (error: unknown) => {
        count('error');
        logger.error({ ...describeSlackRequest(request), error: String(error) }, 'Slack listener failed');
        if (!ackedOnce) {
          ackedOnce = true;
          // Still inside Slack's 3 seconds: the answer itself says what happened.
          settle(
            request.kind === 'command'
              ? { response_type: 'ephemeral', text: this.options.failureText }
              : undefined,
          );
          if (request.kind === 'command') return;
        }
        void this.tellFailure(request);
      },
    );
    const response = await acked;
    clearTimeout(timeout);
    if (response === undefined || response === '') return reply.code(200).send();
    if (typeof response === 'string') return reply.code(200).type('text/plain; charset=utf-8').send(response);
    return reply.code(200).send(response);
  }

  /** After the ack, the response_url is the one way left to tell the person; it may be gone too. */
  private async tellFailure(request: SlackRequest): Promise<void> {
    const url = request.responseUrl;
    if (!url) return;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          response_type: 'ephemeral',
          replace_original: false,
          text: this.options.failureText,
        }),
        signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      this.options.logger.warn(
        { ...describeSlackRequest(request), error: String(error) },
        'could not tell the user that their request failed',
      );
    }
  }
}

const wallClockS = () => Math.floor(Date.now() / 1000);

function isSslCheck(raw: Buffer, contentType: string): boolean {
  if (!contentType.startsWith('application/x-www-form-urlencoded') || raw.length > 4096) return false;
  return new URLSearchParams(raw.toString('utf8')).get('ssl_check') === '1';
}

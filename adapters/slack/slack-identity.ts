import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../src/ports.ts';

export interface SlackBotIds {
  botUserId?: string;
  botId?: string;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * The bot's own user and bot ids, which Bolt wants for every request it routes. Bolt would ask
 * Slack (`auth.test`) on each request, so a Slack outage would also fail every inbound command,
 * button and thread reply. Here they come from configuration, or from one `auth.test` at start,
 * retried in the background until it answers; requests never wait for it. Until then the ids are
 * simply unknown: our listeners ignore bot messages by their `bot_id` field anyway.
 */
export class SlackIdentity {
  private ids: SlackBotIds;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly client: WebClient;
  private readonly logger: Logger;

  constructor(options: { client: WebClient; logger: Logger; configured: SlackBotIds }) {
    this.client = options.client;
    this.logger = options.logger;
    this.ids = { ...options.configured };
  }

  get current(): SlackBotIds {
    return this.ids;
  }

  get known(): boolean {
    return this.ids.botUserId !== undefined && this.ids.botId !== undefined;
  }

  /** Learns the ids once if configuration did not give them; never throws, never blocks. */
  start(): void {
    this.stopped = false;
    if (!this.known) void this.lookUp(FIRST_RETRY_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async lookUp(nextDelayMs: number): Promise<void> {
    if (this.stopped) return;
    try {
      const result = await this.client.auth.test();
      this.ids = {
        botUserId: this.ids.botUserId ?? (typeof result.user_id === 'string' ? result.user_id : undefined),
        botId: this.ids.botId ?? (typeof result.bot_id === 'string' ? result.bot_id : undefined),
      };
      this.logger.info({ ...this.ids }, 'Slack bot identity known');
    } catch (error) {
      this.logger.warn(
        { error: String(error), retryInMs: nextDelayMs },
        'auth.test failed; inbound Slack requests are unaffected, retrying in the background',
      );
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.lookUp(Math.min(nextDelayMs * 2, MAX_RETRY_MS)), nextDelayMs);
      this.timer.unref();
    }
  }
}

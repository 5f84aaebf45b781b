import type { App, RespondArguments, types } from '@slack/bolt';
import { splitSubcommand } from '../../../src/domain/command-words.ts';
import type { Catalog } from '../../../src/messages.ts';

/** What every router needs: the catalog for its own answers and the command as configured. */
export interface CommandRouterDeps {
  t: Catalog;
  /** The slash command, e.g. `/tsuikyaku`. */
  command: string;
}

/** An answer only the person who ran the command sees: text, or a message with blocks. */
export type CommandAnswer = string | RespondArguments;

export interface CommandContext<D> {
  deps: D;
  /** The text after the subcommand word, trimmed; a mention (`<@U1|Sato Taro>`) stays whole. */
  args: string;
  /** Who ran the command. */
  userId: string;
  /** Where it was run: a channel, or a DM (the bot's or between people). */
  channelId: string;
  /** Where later answers go (usable 5 times within 30 minutes). */
  responseUrl: string;
  /** The slash command as configured, for usage texts. */
  command: string;
  /** Answers in the ack or, after `defer()`, through the response_url. */
  reply(answer: CommandAnswer): Promise<void>;
  /**
   * Acks now with nothing to show, for work that may outlast Slack's 3 seconds; `reply` then
   * answers through the response_url (usable 5 times within 30 minutes). `answer` is shown at
   * once (e.g. 集計中…); a later `reply` replaces it.
   * https://api.slack.com/interactivity/slash-commands
   */
  defer(answer?: string): Promise<void>;
  /** Opens a modal with the command's trigger (valid for 3 seconds: call it before slow work). */
  openModal(view: types.View): Promise<void>;
}

/** One subcommand: the words that pick it, and a handler that parses, calls one use case and answers. */
export interface SlashSubcommand<D> {
  /** English and Japanese; '' picks it for the command alone. */
  names: readonly string[];
  handle(ctx: CommandContext<D>): Promise<void>;
}

/**
 * `/tsuikyaku <subcommand> …`: picks the subcommand by its first word (case-sensitive) and tells
 * the person about a word none knows. A subcommand that fails after `defer()` is still answered:
 * the receiver posts the failure text to the response_url (see FastifySlackReceiver).
 */
export function registerCommandRouter<D extends CommandRouterDeps>(
  app: App,
  deps: D,
  subcommands: readonly SlashSubcommand<D>[],
): void {
  const byName = new Map(subcommands.flatMap((s) => s.names.map((name) => [name, s] as const)));
  app.command(deps.command, async ({ command: payload, ack, respond, client }) => {
    const { word, args } = splitSubcommand(payload.text ?? '');
    let deferred = false;
    let shownAtOnce = false;
    const ctx: CommandContext<D> = {
      deps,
      args,
      userId: payload.user_id,
      channelId: payload.channel_id,
      responseUrl: payload.response_url,
      command: deps.command,
      async reply(answer) {
        const message: RespondArguments = {
          response_type: 'ephemeral',
          ...(typeof answer === 'string' ? { text: answer } : answer),
        };
        if (deferred) await respond(shownAtOnce ? { replace_original: true, ...message } : message);
        else await ack(message);
      },
      async defer(answer) {
        deferred = true;
        shownAtOnce = answer !== undefined;
        await (answer === undefined ? ack() : ack({ response_type: 'ephemeral', text: answer }));
        // The work that follows waits for the event loop's next turn: requests already arrived
        // (other people's commands, webhooks) are answered first.
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
      async openModal(view) {
        await client.views.open({ trigger_id: payload.trigger_id, view });
      },
    };
    const subcommand = byName.get(word);
    if (!subcommand) return ctx.reply(deps.t.command.unknown(word, deps.command));
    await subcommand.handle(ctx);
  });
}

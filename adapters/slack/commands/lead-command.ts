import type { types } from '@slack/bolt';
import { escapeSlackText, slackMarkupToPlain } from '../../../src/domain/slack-text.ts';
import { findLeads } from '../../../src/use-cases/find-leads.ts';
import { leadCardMessage } from '../lead-blocks.ts';
import type { ListenerDeps } from '../listeners/listener-deps.ts';
import type { SlashSubcommand } from './command-router.ts';
import { ERASE_WORDS, handleLeadErase } from './lead-erase-command.ts';

/** How many cards one answer shows at most. */
const SHOWN = 5;
/** Slack shows at most 50 blocks a message. https://docs.slack.dev/reference/block-kit/blocks */
const MAX_BLOCKS = 50;

/**
 * `/tsuikyaku lead <part of a name>`: the matching leads' cards. Indexed queries: answered in the ack.
 * `lead erase <name or LINE user id>` erases a person on request (lead-erase-command.ts).
 */
export const leadCommand: SlashSubcommand<ListenerDeps> = {
  names: ['lead', 'リード'],
  async handle(ctx) {
    const { deps, args, userId, command, reply } = ctx;
    const { t } = deps;
    if (!args) return reply(t.command.usageLead(command));
    const [first = '', ...rest] = args.split(/\s+/);
    if (ERASE_WORDS.includes(first)) return handleLeadErase(ctx, slackMarkupToPlain(rest.join(' ')));
    // Slack sends & < > escaped: a name is searched as typed, and shown back escaped.
    const name = slackMarkupToPlain(args);
    const query = escapeSlackText(name);
    const found = await findLeads(deps, { actorId: userId, query: name, limit: SHOWN });
    if (found.kind === 'not_staff') return reply(t.command.notStaffSelf);
    if (found.cards.length === 0)
      return reply(found.scope === 'all' ? t.command.leadNone(query) : t.command.leadNoneOwn(query));
    // Cards with step sequences are taller: as many as fit in Slack's 50 blocks, with room for the note.
    const blocks: Record<string, unknown>[] = [];
    let shown = 0;
    for (const card of found.cards) {
      const cardBlocks = [...leadCardMessage(card, deps.blocks).blocks, { type: 'divider' }];
      if (blocks.length + cardBlocks.length > MAX_BLOCKS - 1) break;
      blocks.push(...cardBlocks);
      shown += 1;
    }
    if (found.more || shown < found.cards.length)
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: t.command.leadMore(shown) }] });
    return reply({ text: query, blocks: blocks as unknown as types.KnownBlock[] });
  },
};

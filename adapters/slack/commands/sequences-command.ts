import type { types } from '@slack/bolt';
import { escapeSlackText, slackMarkupToPlain } from '../../../src/domain/slack-text.ts';
import { previewSequence } from '../../../src/use-cases/sequences/preview-sequence.ts';
import { sequenceOverview } from '../../../src/use-cases/sequences/sequence-overview.ts';
import type { ListenerDeps } from '../listeners/listener-deps.ts';
import { sequenceOverviewMessage, sequencePreviewMessage } from '../sequence-list-blocks.ts';
import type { SlashSubcommand } from './command-router.ts';

/**
 * `/tsuikyaku sequences`: every sequence of the file with its enrolments and this month's sends;
 * `/tsuikyaku sequences <id>`: each step's messages rendered for a sample lead. For staff; one
 * grouped count query, answered in the ack.
 */
export const sequencesCommand: SlashSubcommand<ListenerDeps> = {
  names: ['sequences', 'ステップ配信'],
  async handle({ deps, args, userId, reply }) {
    const { t } = deps;
    // Slack sends & < > escaped: the id is looked up as typed, and shown back escaped.
    const id = slackMarkupToPlain(args.split(/\s+/)[0] ?? '');
    if (!id) {
      const overview = await sequenceOverview(deps, { actorId: userId });
      if (overview.kind === 'not_staff') return reply(t.command.notStaffSelf);
      const message = sequenceOverviewMessage(overview, deps.blocks);
      return reply({ text: message.text, blocks: message.blocks as unknown as types.KnownBlock[] });
    }
    const sampleName = t.sequencesCommand.sampleName;
    const preview = await previewSequence(deps, { actorId: userId, sequenceId: id, sampleName });
    if (preview.kind === 'not_staff') return reply(t.command.notStaffSelf);
    if (preview.kind === 'unknown') {
      const ids = preview.ids.map((known) => `\`${known}\``).join(', ') || t.sequencesCommand.noIds;
      return reply(t.sequencesCommand.unknown(escapeSlackText(id), ids));
    }
    const message = sequencePreviewMessage(preview, sampleName, deps.blocks);
    return reply({ text: message.text, blocks: message.blocks as unknown as types.KnownBlock[] });
  },
};

import { parseExportCommand } from '../../../src/domain/export/export-command.ts';
import { MAX_PERIOD_DAYS } from '../../../src/domain/report-period.ts';
import { escapeSlackText, slackMarkupToPlain } from '../../../src/domain/slack-text.ts';
import { requestExport } from '../../../src/use-cases/export/request-export.ts';
import { shownPeriod } from '../block-kit.ts';
import type { ListenerDeps } from '../listeners/listener-deps.ts';
import type { SlashSubcommand } from './command-router.ts';

/**
 * `/tsuikyaku export leads|touches|messages [period]`: managers get a CSV file in their DM. The
 * command only queues the work (answered in the ack); the outbox writes and uploads the file.
 */
export const exportCommand: SlashSubcommand<ListenerDeps> = {
  names: ['export', 'エクスポート'],
  async handle({ deps, args, userId, command, reply }) {
    const e = deps.t.export;
    const usage = e.usage(command, MAX_PERIOD_DAYS);
    const parsed = parseExportCommand(args);
    if (parsed.kind === 'usage') return reply(usage);
    if (parsed.kind === 'unknown_dataset')
      return reply(`${e.unknownDataset(escapeSlackText(slackMarkupToPlain(parsed.word)))}\n${usage}`);
    const result = await requestExport(
      { store: deps.store, clock: deps.clock, timezone: deps.blocks.timezone },
      {
        actorId: userId,
        dataset: parsed.dataset,
        period: parsed.period && slackMarkupToPlain(parsed.period),
      },
    );
    switch (result.kind) {
      case 'forbidden':
        return reply(e.managersOnly);
      case 'invalid_period': {
        const word = escapeSlackText(result.word);
        const problem =
          result.problem === 'reversed'
            ? e.reversedPeriod(word)
            : result.problem === 'too_long'
              ? e.tooLongPeriod(word, MAX_PERIOD_DAYS)
              : e.badPeriod(word);
        return reply(`${problem}\n${usage}`);
      }
      case 'queued':
        deps.kick();
        return reply(e.preparing(e.datasets[result.dataset], shownPeriod(result.period, deps.blocks)));
    }
  },
};

import type { types } from '@slack/bolt';
import { MAX_PERIOD_DAYS } from '../../../src/domain/report-period.ts';
import { parseStatsArgs, type StatsArgs } from '../../../src/domain/stats/stats-args.ts';
import type { Catalog } from '../../../src/messages.ts';
import { queueStatsCharts } from '../../../src/use-cases/stats/stats-charts.ts';
import { teamStats } from '../../../src/use-cases/stats/team-stats.ts';
import type { ListenerDeps } from '../listeners/listener-deps.ts';
import { statsMessage } from '../stats-blocks.ts';
import type { SlashSubcommand } from './command-router.ts';

/** PostgreSQL's query_canceled: the statement timeout ran out. */
function isQueryCanceled(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === '57014') return true;
  }
  return false;
}

/** What is wrong with the words after `stats` (or `export`), and what is accepted. */
export function periodProblem(t: Catalog, invalid: Extract<StatsArgs, { kind: 'invalid' }>): string {
  switch (invalid.problem) {
    case 'reversed':
      return t.stats.reversed(invalid.word);
    case 'too_long':
      return t.stats.tooLong(invalid.word, MAX_PERIOD_DAYS);
    default:
      return t.stats.unknownWord(invalid.word);
  }
}

/**
 * `/tsuikyaku stats [period] [@rep]`: acknowledged at once (集計中…); the numbers follow through
 * the response_url, for the asker only, and the charts are posted in the conversation through the
 * outbox. A rep sees their own numbers; the team's and other reps' are for managers.
 */
export const statsCommand: SlashSubcommand<ListenerDeps> = {
  names: ['stats', '数字'],
  async handle({ deps, args, userId, channelId, responseUrl, command, reply, defer }) {
    const { t } = deps;
    const parsed = parseStatsArgs(args, deps.clock.now(), deps.blocks.timezone);
    if (parsed.kind === 'invalid') return reply(`${periodProblem(t, parsed)}\n${t.stats.usage(command)}`);
    await defer(t.stats.working);
    let result: Awaited<ReturnType<typeof teamStats>>;
    try {
      result = await teamStats(deps, { actorId: userId, period: parsed.period, repId: parsed.repId });
    } catch (error) {
      // STATS_TIMEOUT_MS cancels the statement (57014); anything else is a failure to count.
      deps.logger.error({ error: String(error) }, 'stats failed');
      return reply(isQueryCanceled(error) ? t.stats.timedOut : t.stats.failed);
    }
    switch (result.kind) {
      case 'not_staff':
        return reply(t.command.notStaffSelf);
      case 'others_numbers':
        return reply(t.stats.othersNumbers(command));
      case 'unknown_rep':
        return reply(t.command.notStaff(`<@${result.repId}>`));
    }
    const message = statsMessage(result.report, deps.blocks, { chartsNote: t.stats.chartsFollow });
    await reply({ text: message.text, blocks: message.blocks as unknown as types.KnownBlock[] });
    await queueStatsCharts(deps, result.report, { channelId, askerId: userId, responseUrl });
  },
};

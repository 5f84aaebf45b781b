import { todayList } from '../../../src/use-cases/today-list.ts';
import { digestMessage } from '../follow-up-blocks.ts';
import type { ListenerDeps } from '../listeners/listener-deps.ts';
import type { SlashSubcommand } from './command-router.ts';

/**
 * `/tsuikyaku today`: the morning digest on demand, with the team section for a manager. Indexed
 * queries, so it answers in the ack.
 */
export const todayCommand: SlashSubcommand<ListenerDeps> = {
  names: ['today', '今日'],
  async handle({ deps, userId, reply }) {
    const list = await todayList(deps, { actorId: userId });
    if (list.kind === 'not_staff') return reply(deps.t.command.notStaffSelf);
    return reply(digestMessage(list.digest, 0, list.today, list.now, deps.blocks, list.team));
  },
};

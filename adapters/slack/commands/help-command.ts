import type { CommandRouterDeps, SlashSubcommand } from './command-router.ts';

/** `/tsuikyaku help`, and the command alone: what each subcommand does. */
export const helpCommand: SlashSubcommand<CommandRouterDeps> = {
  names: ['help', 'ヘルプ', ''],
  handle: ({ deps, command, reply }) => reply(deps.t.command.help(command)),
};

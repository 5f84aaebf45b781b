import { parseStaffCommand, type StaffCommand } from '../../../src/domain/staff-command.ts';
import type { Catalog } from '../../../src/messages.ts';
import { listStaff } from '../../../src/use-cases/list-staff.ts';
import { manageStaff } from '../../../src/use-cases/manage-staff.ts';
import type { ListenerDeps } from '../listeners/listener-deps.ts';
import type { SlashSubcommand } from './command-router.ts';

/** `/tsuikyaku staff list|add|remove`: who is staff; managers add and remove people. */
export const staffCommand: SlashSubcommand<ListenerDeps> = {
  names: ['staff'],
  async handle({ deps, args, userId, command, reply }) {
    const { t } = deps;
    const parsed = parseStaffCommand(args);
    switch (parsed.kind) {
      case 'invalid':
        return reply(invalidText(parsed, t, command));
      case 'staff_list': {
        const staff = await listStaff(deps);
        if (staff.length === 0) return reply(t.command.listEmpty);
        const lines = staff.map((s) => `• <@${s.slackUserId}> ${t.command.roles[s.role]}`);
        return reply([`*${t.command.listTitle}*`, ...lines].join('\n'));
      }
      case 'staff_add':
      case 'staff_remove': {
        const change =
          parsed.kind === 'staff_add'
            ? { kind: 'add' as const, userId: parsed.userId, role: parsed.role, nameHint: parsed.nameHint }
            : { kind: 'remove' as const, userId: parsed.userId, to: parsed.to };
        const result = await manageStaff(deps, userId, change);
        deps.kick();
        switch (result.kind) {
          case 'forbidden':
            return reply(t.command.managersOnly);
          case 'added':
            return reply(
              t.command.added(`<@${result.staff.slackUserId}>`, t.command.roles[result.staff.role]),
            );
          case 'removed':
            return reply(
              result.to === null
                ? t.command.removed(`<@${result.userId}>`, result.movedLeads)
                : t.command.removedTo(`<@${result.userId}>`, result.movedLeads, `<@${result.to}>`),
            );
          case 'bad_successor':
            return reply(
              result.reason === 'same_person'
                ? t.command.successorSame
                : t.command.successorNotRep(`<@${result.to}>`),
            );
          case 'not_staff':
            return reply(t.command.notStaff(`<@${result.userId}>`));
        }
      }
    }
  },
};

function invalidText(
  parsed: Extract<StaffCommand, { kind: 'invalid' }>,
  t: Catalog,
  command: string,
): string {
  const usage =
    parsed.usage === 'staff_add'
      ? t.command.usageAdd(command)
      : parsed.usage === 'staff_remove'
        ? t.command.usageRemove(command)
        : t.command.usageStaff(command);
  const problem =
    parsed.problem === 'user' ? t.command.badUser : parsed.problem === 'role' ? t.command.badRole : '';
  return [problem, usage].filter(Boolean).join('\n');
}

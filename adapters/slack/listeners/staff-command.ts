import type { App } from '@slack/bolt';
import { parseStaffCommand } from '../../../src/domain/staff-command.ts';
import { manageStaff } from '../../../src/use-cases/manage-staff.ts';
import type { ListenerDeps } from './listener-deps.ts';

/** `/tsuikyaku staff add|remove|list` and `help`; answers are ephemeral, in the ack (within 3 s). */
export function registerStaffCommand(app: App, deps: ListenerDeps): void {
  const { t, command } = deps;
  app.command(command, async ({ command: payload, ack }) => {
    const reply = (text: string) => ack({ response_type: 'ephemeral', text });
    const parsed = parseStaffCommand(payload.text ?? '');
    switch (parsed.kind) {
      case 'help':
        return reply(t.command.help(command));
      case 'unknown':
        return reply(t.command.unknown(parsed.word, command));
      case 'invalid': {
        const usage =
          parsed.usage === 'staff_add'
            ? t.command.usageAdd(command)
            : parsed.usage === 'staff_remove'
              ? t.command.usageRemove(command)
              : t.command.usageStaff(command);
        const problem =
          parsed.problem === 'user' ? t.command.badUser : parsed.problem === 'role' ? t.command.badRole : '';
        return reply([problem, usage].filter(Boolean).join('\n'));
      }
      case 'staff_list': {
        const staff = await deps.store.staff.listActive();
        if (staff.length === 0) return reply(t.command.listEmpty);
        const lines = staff.map((s) => `• <@${s.slackUserId}> ${t.command.roles[s.role]}`);
        return reply([`*${t.command.listTitle}*`, ...lines].join('\n'));
      }
      case 'staff_add':
      case 'staff_remove': {
        const change =
          parsed.kind === 'staff_add'
            ? { kind: 'add' as const, userId: parsed.userId, role: parsed.role, nameHint: parsed.nameHint }
            : { kind: 'remove' as const, userId: parsed.userId };
        const result = await manageStaff(deps, payload.user_id, change);
        deps.kick();
        switch (result.kind) {
          case 'forbidden':
            return reply(t.command.managersOnly);
          case 'added':
            return reply(
              t.command.added(`<@${result.staff.slackUserId}>`, t.command.roles[result.staff.role]),
            );
          case 'removed':
            return reply(t.command.removed(`<@${result.userId}>`, result.movedLeads));
          case 'not_staff':
            return reply(t.command.notStaff(`<@${result.userId}>`));
        }
      }
    }
  });
}

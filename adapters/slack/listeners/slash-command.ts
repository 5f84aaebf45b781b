import type { App, types } from '@slack/bolt';
import { parseStaffCommand } from '../../../src/domain/staff-command.ts';
import { buildRepDigest } from '../../../src/use-cases/build-rep-digest.ts';
import { findLeads } from '../../../src/use-cases/find-leads.ts';
import { manageStaff } from '../../../src/use-cases/manage-staff.ts';
import { digestMessage } from '../follow-up-blocks.ts';
import { leadCardMessage } from '../lead-blocks.ts';
import type { ListenerDeps } from './listener-deps.ts';

/**
 * `/tsuikyaku staff add|remove|list`, `today`, `lead <name>` and `help`. Answers are ephemeral and
 * go in the ack, well within Slack's 3 seconds: each is one or two indexed queries.
 */
export function registerSlashCommand(app: App, deps: ListenerDeps): void {
  const { t, command } = deps;
  app.command(command, async ({ command: payload, ack }) => {
    const reply = (text: string) => ack({ response_type: 'ephemeral', text });
    const parsed = parseStaffCommand(payload.text ?? '');
    switch (parsed.kind) {
      case 'help':
        return reply(t.command.help(command));
      case 'unknown':
        return reply(t.command.unknown(parsed.word, command));
      case 'today': {
        const me = await deps.store.staff.get(payload.user_id);
        if (!me?.active) return reply(t.command.notStaffSelf);
        const now = deps.clock.now();
        const { digest, today } = await buildRepDigest(deps, payload.user_id, now);
        return ack({ response_type: 'ephemeral', ...digestMessage(digest, 0, today, now, deps.blocks) });
      }
      case 'lead_search': {
        const found = await findLeads(deps, { actorId: payload.user_id, query: parsed.query, limit: 5 });
        if (found.kind === 'not_staff') return reply(t.command.notStaffSelf);
        if (found.cards.length === 0) return reply(t.command.leadNone(parsed.query));
        const blocks = found.cards.flatMap((card) => [
          ...leadCardMessage(card, deps.blocks).blocks,
          { type: 'divider' },
        ]);
        if (found.more)
          blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: t.command.leadMore(5) }] });
        return ack({
          response_type: 'ephemeral',
          text: parsed.query,
          blocks: blocks as unknown as types.KnownBlock[],
        });
      }
      case 'invalid': {
        const usage =
          parsed.usage === 'staff_add'
            ? t.command.usageAdd(command)
            : parsed.usage === 'staff_remove'
              ? t.command.usageRemove(command)
              : parsed.usage === 'lead'
                ? t.command.usageLead(command)
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

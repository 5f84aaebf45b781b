import { escapeSlackText } from '../../src/domain/slack-text.ts';
import type { Catalog } from '../../src/messages.ts';
import type { EscalationView, TakenAlarmView } from '../../src/ports.ts';
import { actions, type Block, type BlockContext, button, leadName, mrkdwnSection } from './block-kit.ts';

/** 代わりに対応する on the team channel's alarm. */
export const TAKE_OVER_ACTION_ID = 'alarm_take_over';

/** Business minutes as the alarm says them: 5分, 1時間20分. */
export function waitedText(minutes: number, t: Catalog): string {
  return t.escalation.duration(Math.floor(minutes / 60), minutes % 60);
}

const ownerText = (ownerId: string | null, t: Catalog) => (ownerId ? `<@${ownerId}>` : t.nobody);

/** A speed-to-lead alarm; the team channel's carries the button to take the lead over. */
export function escalationMessage(
  view: EscalationView,
  ctx: BlockContext,
): { text: string; blocks?: Block[] } {
  const { t } = ctx;
  const name = escapeSlackText(leadName(view.lead, t));
  const owner = ownerText(view.ownerId, t);
  const waited = waitedText(view.waitedMinutes, t);
  switch (view.audience) {
    case 'owner':
      return { text: t.escalation.owner(owner, name, waited) };
    case 'reminder':
      return { text: t.escalation.reminder(owner, name, waited) };
    case 'managers':
      return { text: t.escalation.manager(name, waited, owner) };
    case 'team': {
      const text = t.escalation.team(name, waited, owner);
      return {
        text,
        blocks: [
          mrkdwnSection(text),
          actions(`alarm:${view.lead.id}`, [
            button(TAKE_OVER_ACTION_ID, t.escalation.takeOver, view.lead.id, 'primary'),
          ]),
        ],
      };
    }
  }
}

/** The team alarm once taken over: who took it, and no button left to press. */
export function takenAlarmMessage(
  view: TakenAlarmView,
  ctx: BlockContext,
): { text: string; blocks: Block[] } {
  const { t } = ctx;
  const name = escapeSlackText(leadName(view.lead, t));
  const text = t.escalation.taken(
    name,
    waitedText(view.waitedMinutes, t),
    ownerText(view.ownerId, t),
    `<@${view.takenBy}>`,
  );
  return { text, blocks: [mrkdwnSection(text)] };
}

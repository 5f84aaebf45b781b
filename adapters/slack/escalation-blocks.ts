import { escapeSlackText } from '../../src/domain/slack-text.ts';
import type { Catalog } from '../../src/messages.ts';
import type { EscalationView } from '../../src/ports.ts';
import { type BlockContext, leadName } from './block-kit.ts';

/** Business minutes as the alarm says them: 5分, 1時間20分. */
export function waitedText(minutes: number, t: Catalog): string {
  return t.escalation.duration(Math.floor(minutes / 60), minutes % 60);
}

const ownerText = (ownerId: string | null, t: Catalog) => (ownerId ? `<@${ownerId}>` : t.nobody);

/** A speed-to-lead alarm. */
export function escalationMessage(view: EscalationView, ctx: BlockContext): { text: string } {
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
    case 'team':
      return { text: t.escalation.team(name, waited, owner) };
  }
}

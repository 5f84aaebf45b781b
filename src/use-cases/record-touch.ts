import type { Lead } from '../domain/lead.ts';
import { leadOrderKey } from '../domain/lead.ts';
import { leadHistoryDiff, SYSTEM_ACTOR } from '../domain/lead-history.ts';
import { touchEffects } from '../domain/touch-effects.ts';
import type { NewTouch, OutboxEntry, Repos } from '../ports.ts';

/**
 * Records one touch and applies its effect on the lead's follow-up state, inside the caller's
 * transaction. Returns the outbox rows it causes (a card refresh, a notice when the 4-touch rule
 * moves the lead to nurture or a reply brings it back). A touch for a LINE message already
 * recorded is ignored, so redeliveries count once.
 */
export async function recordTouch(
  tx: Repos,
  lead: Lead,
  touch: NewTouch,
  opts: { refreshCard: boolean } = { refreshCard: true },
): Promise<{ lead: Lead; entries: OutboxEntry[] }> {
  if (!(await tx.touches.insert(touch))) return { lead, entries: [] };
  const { movedTo, ...state } = touchEffects(lead, touch);
  await tx.leads.patch(lead.id, state, touch.at);
  const updated: Lead = { ...lead, ...state };
  await tx.history.append(
    leadHistoryDiff(lead, updated, { at: touch.at, actor: touch.authorId ?? SYSTEM_ACTOR }),
  );
  const key = leadOrderKey(lead.id);
  const entries: OutboxEntry[] = [];
  if (movedTo === 'nurture' || movedTo === 'open') {
    entries.push({
      job: {
        kind: 'slack.notice',
        leadId: lead.id,
        notice: {
          key: movedTo === 'nurture' ? 'moved_to_nurture' : 'back_from_nurture',
          attempts: lead.unansweredAttempts + 1,
        },
      },
      orderKey: key,
    });
  }
  if (opts.refreshCard || movedTo)
    entries.push({ job: { kind: 'slack.card', leadId: lead.id }, orderKey: key });
  return { lead: updated, entries };
}

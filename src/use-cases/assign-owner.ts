import type { Lead } from '../domain/lead.ts';
import { leadOrderKey } from '../domain/lead.ts';
import { leadHistoryDiff, type OwnerChangeReason, SYSTEM_ACTOR } from '../domain/lead-history.ts';
import type { OutboxEntry, Repos } from '../ports.ts';

/**
 * Gives a lead the next rep in round-robin order (or leaves it to the team channel when there is
 * no active rep) and queues its Slack thread. Runs inside the caller's transaction.
 */
export async function assignOwner(
  tx: Repos,
  lead: Lead,
  at: Date,
  opts: {
    excluding?: string;
    reason?: Extract<OwnerChangeReason, 'round_robin' | 'hand_over'>;
    actor?: string;
  } = {},
): Promise<{ ownerId: string | null; entries: OutboxEntry[] }> {
  const rep = await tx.staff.takeNextRep(at, opts.excluding);
  const ownerId = rep?.slackUserId ?? null;
  if (ownerId !== lead.ownerId) {
    await tx.leads.setOwner(lead.id, ownerId, at);
    await tx.history.append(
      leadHistoryDiff(
        lead,
        { ...lead, ownerId },
        {
          at,
          actor: opts.actor ?? SYSTEM_ACTOR,
          ownerReason: opts.reason ?? 'round_robin',
        },
      ),
    );
  }
  return {
    ownerId,
    entries: [{ job: { kind: 'slack.thread', leadId: lead.id }, orderKey: leadOrderKey(lead.id) }],
  };
}

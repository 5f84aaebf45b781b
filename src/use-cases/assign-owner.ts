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
  return giveOwner(tx, lead, rep?.slackUserId ?? null, at, {
    reason: opts.reason ?? 'round_robin',
    ...(opts.actor ? { actor: opts.actor } : {}),
  });
}

/**
 * Gives a lead to `ownerId` (null: the team channel), with the change in its history, and queues
 * its Slack thread for that owner. Runs inside the caller's transaction.
 */
export async function giveOwner(
  tx: Repos,
  lead: Lead,
  ownerId: string | null,
  at: Date,
  opts: { reason: Extract<OwnerChangeReason, 'round_robin' | 'hand_over'>; actor?: string },
): Promise<{ ownerId: string | null; entries: OutboxEntry[] }> {
  if (ownerId !== lead.ownerId) {
    await tx.leads.setOwner(lead.id, ownerId, at);
    await tx.history.append(
      leadHistoryDiff(
        lead,
        { ...lead, ownerId },
        { at, actor: opts.actor ?? SYSTEM_ACTOR, ownerReason: opts.reason },
      ),
    );
  }
  return {
    ownerId,
    entries: [{ job: { kind: 'slack.thread', leadId: lead.id }, orderKey: leadOrderKey(lead.id) }],
  };
}

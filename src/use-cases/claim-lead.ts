import type { Lead } from '../domain/lead.ts';
import { leadOrderKey } from '../domain/lead.ts';
import { leadHistoryDiff } from '../domain/lead-history.ts';
import { canClaimLead } from '../domain/staff.ts';
import type { Clock, Store } from '../ports.ts';
import { type Duplicate, transactOnce } from './transact-once.ts';

export type ClaimResult =
  | { kind: 'claimed'; lead: Lead }
  /** This press was already processed. */
  | Duplicate
  | { kind: 'not_staff' }
  | { kind: 'already_owned'; ownerId: string }
  | { kind: 'no_such_lead' };

/**
 * The first staff member to press 担当する on a team-channel lead owns it. `idempotencyKey` names
 * the press: the same press delivered again is a 'duplicate' (see transactOnce).
 */
export async function claimLead(
  deps: { store: Store; clock: Clock },
  input: { leadId: string; userId: string; cardChannelId: string; cardTs: string; idempotencyKey?: string },
): Promise<ClaimResult> {
  const now = deps.clock.now();
  const once = { key: input.idempotencyKey, at: now, tookEffect: (r: ClaimResult) => r.kind === 'claimed' };
  return transactOnce(deps.store, once, async (tx): Promise<ClaimResult> => {
    const staff = await tx.staff.get(input.userId);
    if (!canClaimLead(staff)) return { kind: 'not_staff' };
    const lead = await tx.leads.get(input.leadId);
    if (!lead || lead.erasedAt) return { kind: 'no_such_lead' };
    if (!(await tx.leads.claim(lead.id, input.userId, now))) {
      const current = await tx.leads.get(lead.id);
      return { kind: 'already_owned', ownerId: current?.ownerId ?? input.userId };
    }
    const claimed = { ...lead, ownerId: input.userId };
    await tx.history.append(
      leadHistoryDiff(lead, claimed, { at: now, actor: input.userId, ownerReason: 'claim' }),
    );
    const key = leadOrderKey(lead.id);
    await tx.outbox.enqueue([
      {
        job: {
          kind: 'slack.claimed',
          leadId: lead.id,
          channelId: input.cardChannelId,
          ts: input.cardTs,
          claimedBy: input.userId,
        },
        orderKey: key,
      },
      { job: { kind: 'slack.thread', leadId: lead.id }, orderKey: key },
    ]);
    return { kind: 'claimed', lead: claimed };
  });
}

import type { Lead } from '../domain/lead.ts';
import { leadOrderKey } from '../domain/lead.ts';
import { leadHistoryDiff } from '../domain/lead-history.ts';
import { isManager } from '../domain/staff.ts';
import { storableText } from '../domain/storable-text.ts';
import type { Clock, ErasureInventory, OutboxEntry, Store } from '../ports.ts';
import { type Duplicate, transactOnce } from './transact-once.ts';

/** A LINE user ID: U followed by 32 hex digits. */
const LINE_USER_ID = /^U[0-9a-f]{32}$/;

/** How many people with a matching name the confirmation offers to choose from. */
export const ERASURE_CHOICES = 10;

export interface ErasureCandidate {
  lead: Lead;
  /** The owner's name as staff know it, when known. */
  ownerName: string | null;
}

export type ErasureLookup =
  | { kind: 'forbidden' }
  | { kind: 'none' }
  | { kind: 'found'; candidates: ErasureCandidate[]; more: boolean };

/**
 * `/tsuikyaku lead erase <name or LINE user id>`: the leads that match, for a manager to choose
 * from. Only managers may erase; nothing changes here.
 */
export async function findLeadsToErase(
  deps: { store: Store },
  input: { actorId: string; query: string },
): Promise<ErasureLookup> {
  if (!isManager(await deps.store.staff.get(input.actorId))) return { kind: 'forbidden' };
  const query = storableText(input.query).trim();
  let leads: Lead[];
  if (LINE_USER_ID.test(query)) {
    const lead = await deps.store.leads.findByLineUserId(query);
    leads = lead ? [lead] : [];
  } else {
    leads = await deps.store.leads.search(query, ERASURE_CHOICES + 1);
  }
  leads = leads.filter((lead) => lead.erasedAt === null);
  if (leads.length === 0) return { kind: 'none' };
  const shown = leads.slice(0, ERASURE_CHOICES);
  const names = await deps.store.staff.displayNames(
    shown.flatMap((lead) => (lead.ownerId ? [lead.ownerId] : [])),
  );
  return {
    kind: 'found',
    candidates: shown.map((lead) => ({
      lead,
      ownerName: lead.ownerId ? (names.get(lead.ownerId) ?? null) : null,
    })),
    more: leads.length > ERASURE_CHOICES,
  };
}

export type ErasurePreview =
  | { kind: 'preview'; candidate: ErasureCandidate; inventory: ErasureInventory }
  | { kind: 'forbidden' }
  | { kind: 'no_such_lead' }
  | { kind: 'already_erased' };

/** What erasing one lead would remove, for the confirmation. */
export async function previewErasure(
  deps: { store: Store },
  input: { actorId: string; leadId: string },
): Promise<ErasurePreview> {
  if (!isManager(await deps.store.staff.get(input.actorId))) return { kind: 'forbidden' };
  const lead = await deps.store.leads.get(input.leadId);
  if (!lead) return { kind: 'no_such_lead' };
  if (lead.erasedAt) return { kind: 'already_erased' };
  const names = await deps.store.staff.displayNames(lead.ownerId ? [lead.ownerId] : []);
  return {
    kind: 'preview',
    candidate: { lead, ownerName: lead.ownerId ? (names.get(lead.ownerId) ?? null) : null },
    inventory: await deps.store.erasure.inventory(lead),
  };
}

export type ErasureResult =
  | { kind: 'erased'; leadId: string; removed: ErasureInventory }
  /** This confirmation was already processed: the lead was erased by it. */
  | Duplicate
  | { kind: 'forbidden' }
  | { kind: 'no_such_lead' }
  | { kind: 'already_erased' };

/**
 * Erases a person on request (APPI: 利用停止・消去). In one transaction: every stored thing that
 * identifies them is deleted or anonymised, the lead row keeps its internal id, stage, owner,
 * amount and timing for the team's numbers, the history records the erasure, and each of the
 * lead's Slack threads is told (the Slack messages themselves are the workspace's to delete).
 * A later message from the same LINE user starts a new lead. Managers only. `idempotencyKey`
 * names the confirmation (its view): submitted again, it is a 'duplicate' (see transactOnce).
 */
export async function eraseLead(
  deps: { store: Store; clock: Clock },
  input: { actorId: string; leadId: string; idempotencyKey?: string },
): Promise<ErasureResult> {
  const now = deps.clock.now();
  const once = { key: input.idempotencyKey, at: now, tookEffect: (r: ErasureResult) => r.kind === 'erased' };
  return transactOnce(deps.store, once, async (tx): Promise<ErasureResult> => {
    if (!isManager(await tx.staff.get(input.actorId))) return { kind: 'forbidden' };
    const lead = await tx.leads.get(input.leadId);
    if (!lead) return { kind: 'no_such_lead' };
    if (lead.erasedAt) return { kind: 'already_erased' };
    const threads = await tx.threads.listForLead(lead.id);
    const removed = await tx.erasure.erase(lead, now);
    if (!removed) return { kind: 'already_erased' };
    await tx.history.append(
      leadHistoryDiff(lead, { ...lead, erasedAt: now }, { at: now, actor: input.actorId }),
    );
    const key = leadOrderKey(lead.id);
    const entries: OutboxEntry[] = threads.flatMap((thread): OutboxEntry[] => [
      {
        job: {
          kind: 'slack.notice',
          leadId: lead.id,
          notice: { key: 'lead_erased', by: input.actorId },
          channelId: thread.channelId,
          threadTs: thread.threadTs,
        },
        orderKey: key,
      },
    ]);
    // The card at the top of the thread is the bot's own message: it no longer names the person.
    if (threads.length > 0) entries.push({ job: { kind: 'slack.card', leadId: lead.id }, orderKey: key });
    await tx.outbox.enqueue(entries);
    return { kind: 'erased', leadId: lead.id, removed };
  });
}

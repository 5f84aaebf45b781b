import type { Lead } from '../../src/domain/lead.ts';
import { type LeadFact, leadHistoryDiff, SYSTEM_ACTOR } from '../../src/domain/lead-history.ts';
import type { Staff } from '../../src/domain/staff.ts';
import type { LeadPatch, NewTouch, Store, StoredMessage } from '../../src/ports.ts';
import { aLead, aStaff } from './factories.ts';

const PATCHABLE = [
  'purchaseTiming',
  'announcedSegment',
  'amountYen',
  'stage',
  'closedAt',
  'closeReason',
  'snoozedUntil',
  'handoverDate',
  'kind',
  'lastTouchAt',
  'lastAttemptAt',
  'unansweredAttempts',
  'awaitingReplySince',
  'escalationLevel',
  'autoAckedAt',
  'lastInboundAt',
  'status',
  'blockedAt',
] as const satisfies readonly (keyof LeadPatch)[];

/**
 * Writes hand-built datasets through the repositories, each fact at the instant the test chooses:
 * staff, leads (with the history rows their fields imply), touches, messages and history facts.
 * Statistics tests build their worlds with it; nothing here goes through LINE or Slack.
 */
export class Seeder {
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  async staff(overrides: Partial<Staff> = {}, at = new Date('2026-11-02T00:00:00Z')): Promise<Staff> {
    const staff = aStaff(overrides);
    await this.store.staff.upsert({ ...staff, at });
    if (!staff.active) await this.store.staff.deactivate(staff.slackUserId, at);
    return staff;
  }

  /** A lead created at `at` (default: its createdAt) with `overrides` applied, and its history. */
  async lead(overrides: Partial<Lead> = {}, at?: Date): Promise<Lead> {
    const wanted = aLead(overrides);
    const createdAt = at ?? wanted.createdAt;
    const { lead } = await this.store.leads.insertOrGet({
      lineUserId: wanted.lineUserId,
      source: wanted.source,
      status: 'active',
      at: createdAt,
    });
    const patch: LeadPatch = {};
    for (const field of PATCHABLE) {
      if (wanted[field] !== lead[field]) Object.assign(patch, { [field]: wanted[field] });
    }
    if (Object.keys(patch).length > 0) await this.store.leads.patch(lead.id, patch, createdAt);
    if (wanted.ownerId) await this.store.leads.setOwner(lead.id, wanted.ownerId, createdAt);
    if (wanted.displayName !== null || wanted.pictureUrl !== null) {
      await this.store.leads.setProfile(lead.id, wanted, createdAt);
    }
    const seeded = { ...wanted, id: lead.id, createdAt };
    await this.store.history.append(
      leadHistoryDiff(null, seeded, { at: createdAt, actor: SYSTEM_ACTOR, ownerReason: 'round_robin' }),
    );
    const stored = await this.store.leads.get(lead.id);
    if (!stored) throw new Error('the seeded lead is missing');
    return stored;
  }

  async touch(lead: Pick<Lead, 'id'>, touch: Partial<NewTouch> & { at: Date }): Promise<void> {
    await this.store.touches.insert({
      leadId: lead.id,
      channel: 'phone',
      direction: 'outbound',
      outcome: 'no_answer',
      note: null,
      authorId: null,
      messageId: null,
      ...touch,
    });
  }

  async message(
    lead: Pick<Lead, 'id'>,
    message: { at: Date; text: string; direction?: StoredMessage['direction']; authorId?: string | null },
  ): Promise<StoredMessage> {
    const direction = message.direction ?? 'inbound';
    return this.store.messages.insert({
      leadId: lead.id,
      direction,
      content: { kind: 'text', text: message.text },
      text: message.text,
      authorId: message.authorId ?? null,
      slackChannelId: null,
      slackTs: null,
      status: direction === 'inbound' ? 'received' : 'sent',
      createdAt: message.at,
    });
  }

  /** A history fact at `at`, as if a change had happened then (the lead row is not touched). */
  async fact(lead: Pick<Lead, 'id'>, fact: LeadFact, at: Date, actor = SYSTEM_ACTOR): Promise<void> {
    await this.store.history.append([{ ...fact, leadId: lead.id, at, actor }]);
  }
}

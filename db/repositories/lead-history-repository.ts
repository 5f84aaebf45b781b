import { asc, eq, type SQL, sql } from 'drizzle-orm';
import type { LeadSource, LeadStage } from '../../src/domain/lead.ts';
import type { LeadFact, LeadHistoryEntry, TimingValue } from '../../src/domain/lead-history.ts';
import type { Repos } from '../../src/ports.ts';
import { leadHistory } from '../schema.ts';
import { type Executor, pgArray } from './executor.ts';

type HistoryRow = typeof leadHistory.$inferSelect;
type HistoryColumns = Pick<HistoryRow, 'fact' | 'oldValue' | 'newValue' | 'reason' | 'note'>;

/** How each fact is laid out in the generic columns (old/new value, reason, note). */
function columnsOf(fact: LeadFact): HistoryColumns {
  const none = { oldValue: null, newValue: null, reason: null, note: null };
  switch (fact.fact) {
    case 'created':
      return { ...none, fact: fact.fact, reason: fact.source };
    case 'owner_changed':
      return { ...none, fact: fact.fact, oldValue: fact.from, newValue: fact.to, reason: fact.reason };
    case 'stage_changed':
      return {
        fact: fact.fact,
        oldValue: fact.from,
        newValue: fact.to,
        reason: fact.reason,
        note: fact.note,
      };
    case 'timing_changed':
      return { ...none, fact: fact.fact, oldValue: fact.from, newValue: fact.to, reason: fact.by };
    case 'amount_changed':
      return { ...none, fact: fact.fact, oldValue: fact.from, newValue: fact.to };
    case 'blocked':
    case 'unblocked':
    case 'erased':
      return { ...none, fact: fact.fact };
  }
}

function factOf(row: HistoryColumns): LeadFact {
  switch (row.fact) {
    case 'created':
      return { fact: 'created', source: row.reason as LeadSource };
    case 'owner_changed':
      return {
        fact: 'owner_changed',
        from: row.oldValue as string | null,
        to: row.newValue as string | null,
        reason: row.reason as Extract<LeadFact, { fact: 'owner_changed' }>['reason'],
      };
    case 'stage_changed':
      return {
        fact: 'stage_changed',
        from: row.oldValue as LeadStage,
        to: row.newValue as LeadStage,
        reason: row.reason as Extract<LeadFact, { fact: 'stage_changed' }>['reason'],
        note: row.note,
      };
    case 'timing_changed':
      return {
        fact: 'timing_changed',
        from: row.oldValue as TimingValue,
        to: row.newValue as TimingValue,
        by: row.reason as Extract<LeadFact, { fact: 'timing_changed' }>['by'],
      };
    case 'amount_changed':
      return {
        fact: 'amount_changed',
        from: row.oldValue === null ? null : Number(row.oldValue),
        to: row.newValue === null ? null : Number(row.newValue),
      };
    case 'blocked':
    case 'unblocked':
    case 'erased':
      return { fact: row.fact };
  }
}

export function leadHistoryRepository(db: Executor): Repos['history'] {
  return {
    async append(entries) {
      if (entries.length === 0) return;
      await db.insert(leadHistory).values(
        entries.map((entry) => ({
          leadId: entry.leadId,
          at: entry.at,
          actor: entry.actor,
          ...columnsOf(entry),
        })),
      );
    },
    async listForLead(leadId) {
      const rows = await db
        .select()
        .from(leadHistory)
        .where(eq(leadHistory.leadId, leadId))
        .orderBy(asc(leadHistory.id));
      return rows.map(
        (row): LeadHistoryEntry => ({ ...factOf(row), leadId: row.leadId, at: row.at, actor: row.actor }),
      );
    },
    async eraseNotes(leadId) {
      // The append-only trigger lets exactly this through, and only inside an erasure.
      await db.execute(sql`select set_config('tsuikyaku.erasing', 'on', true)`);
      await db
        .update(leadHistory)
        .set({ note: null })
        .where(sql`${leadHistory.leadId} = ${leadId} and ${leadHistory.note} is not null`);
      await db.execute(sql`select set_config('tsuikyaku.erasing', 'off', true)`);
    },
  };
}

/** Inserts many history rows in one statement (the batched ingest writes them beside the lead). */
export function insertHistorySql(entries: readonly LeadHistoryEntry[]): SQL {
  const rows = entries.map((entry) => ({ ...entry, ...columnsOf(entry) }));
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return sql`
    insert into lead_history (lead_id, at, actor, fact, old_value, new_value, reason, note)
    select l, t, a, f, o, n, r, x from unnest(
      ${pgArray(rows.map((r) => r.leadId))}::uuid[],
      ${pgArray(rows.map((r) => r.at.toISOString()))}::timestamptz[],
      ${pgArray(rows.map((r) => r.actor))}::text[],
      ${pgArray(rows.map((r) => r.fact))}::text[],
      ${pgArray(rows.map((r) => json(r.oldValue)))}::jsonb[],
      ${pgArray(rows.map((r) => json(r.newValue)))}::jsonb[],
      ${pgArray(rows.map((r) => r.reason))}::text[],
      ${pgArray(rows.map((r) => r.note))}::text[]) as u(l, t, a, f, o, n, r, x)`;
}

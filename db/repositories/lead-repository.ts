import { and, asc, desc, eq, ilike, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { Lead } from '../../src/domain/lead.ts';
import type { LeadMessageState, Repos } from '../../src/ports.ts';
import { leads } from '../schema.ts';
import { type Executor, isoOrNull, pgArray, rowsOf } from './executor.ts';
import { notErasedSql, openDealSql, workableLeadSql } from './lead-rules-sql.ts';

type LeadRow = typeof leads.$inferSelect;

function toLead(row: LeadRow): Lead {
  return {
    id: row.id,
    lineUserId: row.lineUserId,
    displayName: row.displayName,
    pictureUrl: row.pictureUrl,
    kind: row.kind,
    status: row.status,
    source: row.source,
    ownerId: row.ownerId,
    followedAt: row.followedAt,
    blockedAt: row.blockedAt,
    lastInboundAt: row.lastInboundAt,
    purchaseTiming: row.purchaseTiming,
    announcedSegment: row.announcedSegment,
    amountYen: row.amountYen,
    stage: row.stage,
    closedAt: row.closedAt,
    closeReason: row.closeReason,
    snoozedUntil: row.snoozedUntil,
    handoverDate: row.handoverDate,
    lastTouchAt: row.lastTouchAt,
    lastAttemptAt: row.lastAttemptAt,
    unansweredAttempts: row.unansweredAttempts,
    awaitingReplySince: row.awaitingReplySince,
    escalationLevel: row.escalationLevel,
    escalatedAt: row.escalatedAt,
    autoAckedAt: row.autoAckedAt,
    erasedAt: row.erasedAt,
    optedOutAt: row.optedOutAt,
    timingAskedAt: row.timingAskedAt,
    createdAt: row.createdAt,
  };
}

/** A leads row as the drivers return it from plain SQL (snake_case; int8 may come as text). */
export interface RawLeadRow {
  [column: string]: unknown;
}

const date = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(value as string);
const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

export function fromRawRow(row: RawLeadRow): Lead {
  return {
    id: String(row.id),
    lineUserId: String(row.line_user_id),
    displayName: text(row.display_name),
    pictureUrl: text(row.picture_url),
    kind: row.kind as Lead['kind'],
    status: row.status as Lead['status'],
    source: row.source as Lead['source'],
    ownerId: text(row.owner_id),
    followedAt: date(row.followed_at),
    blockedAt: date(row.blocked_at),
    lastInboundAt: date(row.last_inbound_at),
    purchaseTiming: text(row.purchase_timing),
    announcedSegment: text(row.announced_segment),
    amountYen: row.amount_yen === null || row.amount_yen === undefined ? null : Number(row.amount_yen),
    stage: row.stage as Lead['stage'],
    closedAt: date(row.closed_at),
    closeReason: text(row.close_reason),
    snoozedUntil: text(row.snoozed_until),
    handoverDate: text(row.handover_date),
    lastTouchAt: date(row.last_touch_at),
    lastAttemptAt: date(row.last_attempt_at),
    unansweredAttempts: Number(row.unanswered_attempts),
    awaitingReplySince: date(row.awaiting_reply_since),
    escalationLevel: Number(row.escalation_level),
    escalatedAt: date(row.escalated_at),
    autoAckedAt: date(row.auto_acked_at),
    erasedAt: date(row.erased_at),
    optedOutAt: date(row.opted_out_at),
    timingAskedAt: date(row.timing_asked_at),
    createdAt: date(row.created_at) ?? new Date(0),
  };
}

export function leadRepository(db: Executor): Repos['leads'] {
  return {
    async findByLineUserId(lineUserId, opts) {
      const query = db.select().from(leads).where(eq(leads.lineUserId, lineUserId));
      const [row] = opts?.lock ? await query.for('update') : await query;
      return row ? toLead(row) : null;
    },
    async lockManyByLineUserId(lineUserIds) {
      if (lineUserIds.length === 0) return [];
      // The batched ingest's one read: plain SQL and a hand mapping, since the ORM's per-column work
      // would be a tenth of the webhook's CPU here.
      const rows = rowsOf<RawLeadRow>(
        await db.execute(sql`
          select * from leads where line_user_id = any(${pgArray(lineUserIds)}::text[])
          order by id for update`),
      );
      return rows.map(fromRawRow);
    },
    async get(id, opts) {
      const query = db.select().from(leads).where(eq(leads.id, id));
      const [row] = opts?.lock ? await query.for('update') : await query;
      return row ? toLead(row) : null;
    },
    async insertOrGet({ lineUserId, source, status, at }) {
      const [created] = await db
        .insert(leads)
        .values({
          lineUserId,
          source,
          status,
          followedAt: source === 'follow' ? at : null,
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing({ target: leads.lineUserId })
        .returning();
      if (created) return { lead: toLead(created), created: true };
      // A concurrent first event created it: wait for that row and lock it for this transaction.
      const [row] = await db.select().from(leads).where(eq(leads.lineUserId, lineUserId)).for('update');
      if (!row) throw new Error(`lead for ${lineUserId} vanished during insert`);
      return { lead: toLead(row), created: false };
    },
    async setStatus(id, status, at) {
      await db
        .update(leads)
        .set({
          status,
          updatedAt: at,
          ...(status === 'blocked' ? { blockedAt: at } : { blockedAt: null, followedAt: at }),
        })
        .where(eq(leads.id, id));
    },
    async setOwner(id, ownerId, at) {
      await db.update(leads).set({ ownerId, updatedAt: at }).where(eq(leads.id, id));
    },
    async claim(id, ownerId, at) {
      const rows = await db
        .update(leads)
        .set({ ownerId, updatedAt: at })
        .where(and(eq(leads.id, id), isNull(leads.ownerId)))
        .returning({ id: leads.id });
      return rows.length > 0;
    },
    async transferOwner(id, from, to, at) {
      const rows = await db
        .update(leads)
        .set({ ownerId: to, updatedAt: at })
        .where(and(eq(leads.id, id), from === null ? isNull(leads.ownerId) : eq(leads.ownerId, from)))
        .returning({ id: leads.id });
      return rows.length > 0;
    },
    async setProfile(id, profile, at) {
      await db
        .update(leads)
        .set({ displayName: profile.displayName, pictureUrl: profile.pictureUrl, updatedAt: at })
        // A profile fetched while the lead was being erased is not written back.
        .where(and(eq(leads.id, id), isNull(leads.erasedAt)));
    },
    async patch(id, patch, at) {
      await db
        .update(leads)
        .set({ ...patch, updatedAt: at })
        .where(eq(leads.id, id));
    },
    async listWorkable(ownerIds) {
      if (ownerIds !== null && ownerIds.length === 0) return [];
      const rows = await db
        .select()
        .from(leads)
        .where(
          and(
            workableLeadSql(),
            ownerIds === null ? isNotNull(leads.ownerId) : inArray(leads.ownerId, ownerIds),
          ),
        );
      return rows.map(toLead);
    },
    async listAwaitingReply() {
      const rows = await db
        .select()
        .from(leads)
        .where(and(isNotNull(leads.awaitingReplySince), eq(leads.status, 'active')))
        // Alarms are queued in this order, so each recipient hears of the longest wait first.
        .orderBy(asc(leads.awaitingReplySince), asc(leads.id));
      return rows.map(toLead);
    },
    async advanceEscalation(id, from, to, at) {
      const rows = await db
        .update(leads)
        .set({ escalationLevel: to, escalatedAt: at, updatedAt: at })
        .where(and(eq(leads.id, id), eq(leads.escalationLevel, from), isNotNull(leads.awaitingReplySince)))
        .returning({ id: leads.id });
      return rows.length > 0;
    },
    async listWithTiming() {
      const rows = await db
        .select()
        .from(leads)
        .where(and(isNotNull(leads.purchaseTiming), openDealSql(), notErasedSql()));
      return rows.map(toLead);
    },
    async search(text, limit) {
      const pattern = `%${text.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
      const rows = await db
        .select()
        .from(leads)
        .where(ilike(leads.displayName, pattern))
        .orderBy(desc(leads.createdAt))
        .limit(limit);
      return rows.map(toLead);
    },
    async listActiveOwnedBy(ownerId) {
      const rows = await db
        .select()
        .from(leads)
        .where(and(eq(leads.ownerId, ownerId), eq(leads.status, 'active'), isNull(leads.erasedAt)))
        .orderBy(leads.createdAt);
      return rows.map(toLead);
    },
  };
}

/** Writes the state a batch of lead messages leaves behind, for several leads in one statement. */
export function applyMessageStatesSql(states: readonly LeadMessageState[], at: Date): SQL {
  const dates = (pick: (s: LeadMessageState) => Date | null) =>
    pgArray(states.map((s) => isoOrNull(pick(s))));
  return sql`
    update leads l set
      last_touch_at = v.last_touch_at, last_attempt_at = v.last_attempt_at,
      unanswered_attempts = v.unanswered_attempts, awaiting_reply_since = v.awaiting_reply_since,
      escalation_level = v.escalation_level, stage = v.stage, last_inbound_at = v.last_inbound_at,
      status = case when v.reactivated then 'active' else l.status end,
      blocked_at = case when v.reactivated then null else l.blocked_at end,
      auto_acked_at = coalesce(v.auto_acked_at, l.auto_acked_at),
      updated_at = ${at.toISOString()}::timestamptz
    from unnest(
      ${pgArray(states.map((s) => s.id))}::uuid[],
      ${dates((s) => s.lastTouchAt)}::timestamptz[],
      ${dates((s) => s.lastAttemptAt)}::timestamptz[],
      ${pgArray(states.map((s) => String(s.unansweredAttempts)))}::int[],
      ${dates((s) => s.awaitingReplySince)}::timestamptz[],
      ${pgArray(states.map((s) => String(s.escalationLevel)))}::int[],
      ${pgArray(states.map((s) => s.stage))}::text[],
      ${dates((s) => s.lastInboundAt)}::timestamptz[],
      ${pgArray(states.map((s) => String(s.reactivated)))}::boolean[],
      ${dates((s) => s.autoAckedAt)}::timestamptz[])
      as v(id, last_touch_at, last_attempt_at, unanswered_attempts, awaiting_reply_since,
        escalation_level, stage, last_inbound_at, reactivated, auto_acked_at)
    where l.id = v.id`;
}

import { type SQL, sql } from 'drizzle-orm';
import type { ExportLeadRow, ExportMessageRow, ExportTouchRow, Repos } from '../../src/ports.ts';
import { type Executor, rowsOf } from './executor.ts';

type Raw = Record<string, unknown>;

/**
 * Where the last page ended. The timestamp travels as PostgreSQL's own text of it (with
 * microseconds), not as a JS Date (milliseconds), so that no row is skipped or read twice.
 */
interface Key {
  leadId?: string;
  at: string;
  id: string;
}

const date = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(value as string);
const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
const iso = (at: Date) => at.toISOString();
/** The separator of the aggregated tags: a control character no stored text holds. */
const TAG_SEPARATOR = '\u001f';

/**
 * The export's reads: keyed pages (`where key > last order by key limit n`), never OFFSET, so each
 * page costs the same however far the export has come. Touches and messages are keyed by
 * (lead_id, at, id) to ride the (lead_id, at) indexes both tables already have: a period's rows
 * then take one pass over the index in all, where keying by time alone would scan the table once
 * per page.
 */
export function exportRepository(db: Executor): Repos['exports'] {
  const read = async (query: SQL) => rowsOf<Raw>(await db.execute(query));
  return {
    leads: (range, pageSize) =>
      pages(pageSize, async (after, limit) => {
        const rows = await read(sql`
          select l.*, l.created_at::text as key_at, s.display_name as owner_name,
            (select string_agg(t.tag, ${TAG_SEPARATOR} order by t.tag collate "C") from lead_tags t where t.lead_id = l.id) as tags
          from leads l left join staff s on s.slack_user_id = l.owner_id
          where l.created_at < ${iso(range.to)}::timestamptz
            and (l.closed_at is null or l.closed_at >= ${iso(range.from)}::timestamptz)
            ${after ? sql`and (l.created_at, l.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
          order by l.created_at, l.id
          limit ${limit}::int`);
        return { items: rows.map(leadRow), last: keyOf(rows.at(-1)) };
      }),
    touches: (range, pageSize) =>
      pages(pageSize, async (after, limit) => {
        const rows = await read(sql`
          with page as (
            select t.*, t.at::text as key_at from touches t
            where t.at >= ${iso(range.from)}::timestamptz and t.at < ${iso(range.to)}::timestamptz
              ${after ? sql`and (t.lead_id, t.at, t.id) > (${after.leadId}::uuid, ${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
            order by t.lead_id, t.at, t.id
            limit ${limit}::int)
          select page.*, l.display_name as lead_name, a.display_name as author_name
          from page join leads l on l.id = page.lead_id
            left join staff a on a.slack_user_id = page.author_id
          order by page.lead_id, page.at, page.id`);
        return { items: rows.map(touchRow), last: keyOf(rows.at(-1)) };
      }),
    messages: (range, pageSize) =>
      pages(pageSize, async (after, limit) => {
        const rows = await read(sql`
          with page as (
            select m.id, m.lead_id, m.direction, m.kind, m.text, m.author_id, m.status, m.created_at,
              m.sent_at, m.created_at::text as key_at
            from messages m
            where m.created_at >= ${iso(range.from)}::timestamptz and m.created_at < ${iso(range.to)}::timestamptz
              ${after ? sql`and (m.lead_id, m.created_at, m.id) > (${after.leadId}::uuid, ${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
            order by m.lead_id, m.created_at, m.id
            limit ${limit}::int)
          select page.*, l.display_name as lead_name, a.display_name as author_name
          from page join leads l on l.id = page.lead_id
            left join staff a on a.slack_user_id = page.author_id
          order by page.lead_id, page.created_at, page.id`);
        return { items: rows.map(messageRow), last: keyOf(rows.at(-1)) };
      }),
  };
}

/** Reads page after page until one comes back short; yields only pages with rows. */
async function* pages<T>(
  pageSize: number,
  read: (after: Key | null, limit: number) => Promise<{ items: T[]; last: Key | null }>,
): AsyncGenerator<T[]> {
  const limit = Math.max(1, Math.floor(pageSize));
  let after: Key | null = null;
  for (;;) {
    const { items, last } = await read(after, limit);
    if (items.length > 0) yield items;
    if (items.length < limit || last === null) return;
    // A key that does not move would read the same page forever.
    if (after && last.at === after.at && last.id === after.id && last.leadId === after.leadId)
      throw new Error('an export page ended where the previous one did');
    after = last;
  }
}

function keyOf(row: Raw | undefined): Key | null {
  if (!row) return null;
  return { leadId: text(row.lead_id) ?? undefined, at: String(row.key_at), id: String(row.id) };
}

function leadRow(row: Raw): ExportLeadRow {
  const tags = text(row.tags);
  return {
    id: String(row.id),
    displayName: text(row.display_name),
    ownerId: text(row.owner_id),
    ownerName: text(row.owner_name),
    stage: row.stage as ExportLeadRow['stage'],
    status: row.status as ExportLeadRow['status'],
    purchaseTiming: text(row.purchase_timing),
    amountYen: row.amount_yen === null || row.amount_yen === undefined ? null : Number(row.amount_yen),
    closeReason: text(row.close_reason),
    handoverDate: text(row.handover_date),
    createdAt: date(row.created_at) as Date,
    lastTouchAt: date(row.last_touch_at),
    lastInboundAt: date(row.last_inbound_at),
    closedAt: date(row.closed_at),
    blockedAt: date(row.blocked_at),
    optedOutAt: date(row.opted_out_at),
    erasedAt: date(row.erased_at),
    tags: tags ? tags.split(TAG_SEPARATOR) : [],
  };
}

function touchRow(row: Raw): ExportTouchRow {
  return {
    at: date(row.at) as Date,
    leadId: String(row.lead_id),
    leadName: text(row.lead_name),
    channel: row.channel as ExportTouchRow['channel'],
    direction: row.direction as ExportTouchRow['direction'],
    outcome: row.outcome as ExportTouchRow['outcome'],
    authorId: text(row.author_id),
    authorName: text(row.author_name),
    note: text(row.note),
  };
}

function messageRow(row: Raw): ExportMessageRow {
  return {
    createdAt: date(row.created_at) as Date,
    sentAt: date(row.sent_at),
    leadId: String(row.lead_id),
    leadName: text(row.lead_name),
    direction: row.direction as ExportMessageRow['direction'],
    kind: String(row.kind),
    text: text(row.text),
    authorId: text(row.author_id),
    authorName: text(row.author_name),
    status: row.status as ExportMessageRow['status'],
  };
}

import { and, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { NewTouch, Repos, StoredTouch } from '../../src/ports.ts';
import { touches } from '../schema.ts';
import { type Executor, pgArray } from './executor.ts';
import { attemptSql } from './lead-rules-sql.ts';

export function touchRepository(db: Executor): Repos['touches'] {
  return {
    async insert(touch) {
      const rows = await db
        .insert(touches)
        .values({ ...touch, createdAt: touch.at })
        .onConflictDoNothing({ target: touches.messageId })
        .returning({ id: touches.id });
      return rows.length > 0;
    },
    async countOutbound(leadId) {
      const [row] = await db
        .select({ n: count() })
        .from(touches)
        .where(and(eq(touches.leadId, leadId), attemptSql()));
      return row?.n ?? 0;
    },
    async listForLead(leadId, limit) {
      const rows = await db
        .select()
        .from(touches)
        .where(eq(touches.leadId, leadId))
        .orderBy(desc(touches.at))
        .limit(limit);
      return rows.map(
        (row): StoredTouch => ({
          id: row.id,
          leadId: row.leadId,
          channel: row.channel,
          direction: row.direction,
          outcome: row.outcome,
          note: row.note,
          authorId: row.authorId,
          messageId: row.messageId,
          at: row.at,
        }),
      );
    },
  };
}

/** Inserts many touches in one statement; a touch for an already recorded message is skipped. */
export function insertTouchesSql(rows: readonly NewTouch[]): SQL {
  return sql`
    insert into touches (lead_id, channel, direction, outcome, note, author_id, message_id, at, created_at)
    select l, c, d, o, n, a, m, t, t from unnest(
      ${pgArray(rows.map((r) => r.leadId))}::uuid[],
      ${pgArray(rows.map((r) => r.channel))}::text[],
      ${pgArray(rows.map((r) => r.direction))}::text[],
      ${pgArray(rows.map((r) => r.outcome))}::text[],
      ${pgArray(rows.map((r) => r.note))}::text[],
      ${pgArray(rows.map((r) => r.authorId))}::text[],
      ${pgArray(rows.map((r) => r.messageId))}::uuid[],
      ${pgArray(rows.map((r) => r.at.toISOString()))}::timestamptz[]) as u(l, c, d, o, n, a, m, t)
    on conflict (message_id) do nothing`;
}

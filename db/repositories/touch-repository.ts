import { and, count, desc, eq } from 'drizzle-orm';
import type { Repos, StoredTouch } from '../../src/ports.ts';
import { touches } from '../schema.ts';
import type { Executor } from './executor.ts';

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
    async insertMany(rows) {
      if (rows.length === 0) return;
      await db
        .insert(touches)
        .values(rows.map((touch) => ({ ...touch, createdAt: touch.at })))
        .onConflictDoNothing({ target: touches.messageId });
    },
    async countOutbound(leadId) {
      const [row] = await db
        .select({ n: count() })
        .from(touches)
        .where(and(eq(touches.leadId, leadId), eq(touches.direction, 'outbound')));
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

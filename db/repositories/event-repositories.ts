import { and, eq, sql } from 'drizzle-orm';
import type { Repos } from '../../src/ports.ts';
import { leadThreads, slackEvents } from '../schema.ts';
import { type Executor, pgArray, rowsOf } from './executor.ts';

/** ON CONFLICT DO NOTHING RETURNING makes redeliveries and concurrent duplicates collapse atomically. */
export function lineEventRepository(db: Executor): Repos['lineEvents'] {
  return {
    async insertManyOnce(events) {
      if (events.length === 0) return new Set();
      const rows = rowsOf<{ id: string }>(
        await db.execute(sql`
          insert into line_webhook_events (webhook_event_id, type, line_user_id, payload, event_at, received_at)
          select * from unnest(
            ${pgArray(events.map((e) => e.webhookEventId))}::text[],
            ${pgArray(events.map((e) => e.type))}::text[],
            ${pgArray(events.map((e) => e.lineUserId))}::text[],
            ${pgArray(events.map((e) => JSON.stringify(e.payload)))}::jsonb[],
            ${pgArray(events.map((e) => e.eventAt.toISOString()))}::timestamptz[],
            ${pgArray(events.map((e) => e.receivedAt.toISOString()))}::timestamptz[])
          on conflict (webhook_event_id) do nothing
          returning webhook_event_id as id`),
      );
      return new Set(rows.map((row) => row.id));
    },
  };
}

export function slackEventRepository(db: Executor): Repos['slackEvents'] {
  return {
    async insertOnce(eventId, receivedAt) {
      const rows = await db
        .insert(slackEvents)
        .values({ eventId, receivedAt })
        .onConflictDoNothing({ target: slackEvents.eventId })
        .returning({ id: slackEvents.eventId });
      return rows.length > 0;
    },
  };
}

export function threadRepository(db: Executor): Repos['threads'] {
  return {
    async get(leadId, target) {
      const [row] = await db
        .select()
        .from(leadThreads)
        .where(and(eq(leadThreads.leadId, leadId), eq(leadThreads.target, target)));
      return row
        ? { leadId: row.leadId, target: row.target, channelId: row.channelId, threadTs: row.threadTs }
        : null;
    },
    async findByChannelTs(channelId, threadTs) {
      const [row] = await db
        .select()
        .from(leadThreads)
        .where(and(eq(leadThreads.channelId, channelId), eq(leadThreads.threadTs, threadTs)));
      return row
        ? { leadId: row.leadId, target: row.target, channelId: row.channelId, threadTs: row.threadTs }
        : null;
    },
    async listForLead(leadId) {
      const rows = await db.select().from(leadThreads).where(eq(leadThreads.leadId, leadId));
      return rows.map((row) => ({
        leadId: row.leadId,
        target: row.target,
        channelId: row.channelId,
        threadTs: row.threadTs,
      }));
    },
    async insert(thread, at) {
      await db
        .insert(leadThreads)
        .values({ ...thread, createdAt: at })
        .onConflictDoUpdate({
          target: [leadThreads.leadId, leadThreads.target],
          set: { channelId: thread.channelId, threadTs: thread.threadTs },
        });
    },
  };
}

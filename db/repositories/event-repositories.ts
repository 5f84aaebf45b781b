import { and, eq } from 'drizzle-orm';
import type { Repos } from '../../src/ports.ts';
import { leadThreads, lineWebhookEvents, slackEvents } from '../schema.ts';
import type { Executor } from './executor.ts';

/** ON CONFLICT DO NOTHING RETURNING makes redeliveries and concurrent duplicates collapse atomically. */
export function lineEventRepository(db: Executor): Repos['lineEvents'] {
  return {
    async insertOnce(event) {
      const rows = await db
        .insert(lineWebhookEvents)
        .values(event)
        .onConflictDoNothing({ target: lineWebhookEvents.webhookEventId })
        .returning({ id: lineWebhookEvents.webhookEventId });
      return rows.length > 0;
    },
    async insertManyOnce(events) {
      if (events.length === 0) return new Set();
      const rows = await db
        .insert(lineWebhookEvents)
        .values(events)
        .onConflictDoNothing({ target: lineWebhookEvents.webhookEventId })
        .returning({ id: lineWebhookEvents.webhookEventId });
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

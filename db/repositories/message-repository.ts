import { and, desc, eq, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { InboundContent } from '../../src/domain/inbound-content.ts';
import type { NewMessage, Repos, StoredMessage } from '../../src/ports.ts';
import { messages } from '../schema.ts';
import { type Executor, pgArray } from './executor.ts';

type MessageRow = typeof messages.$inferSelect;

const toMessage = (row: MessageRow): StoredMessage => ({
  id: row.id,
  leadId: row.leadId,
  direction: row.direction,
  content: row.payload as InboundContent,
  text: row.text,
  authorId: row.authorId,
  slackChannelId: row.slackChannelId,
  slackTs: row.slackTs,
  status: row.status,
  error: row.error,
  createdAt: row.createdAt,
});

export function messageRepository(db: Executor): Repos['messages'] {
  return {
    async insert(input) {
      const [row] = await db
        .insert(messages)
        .values({
          ...(input.id ? { id: input.id } : {}),
          leadId: input.leadId,
          direction: input.direction,
          kind: input.content.kind,
          text: input.text,
          payload: input.content,
          lineMessageId: input.lineMessageId ?? null,
          authorId: input.authorId,
          slackChannelId: input.slackChannelId,
          slackTs: input.slackTs,
          status: input.status,
          createdAt: input.createdAt,
        })
        .returning();
      if (!row) throw new Error('message insert returned nothing');
      return toMessage(row);
    },
    async get(id) {
      const [row] = await db.select().from(messages).where(eq(messages.id, id));
      return row ? toMessage(row) : null;
    },
    async markRelayed(id, channelId, ts) {
      await db.update(messages).set({ slackChannelId: channelId, slackTs: ts }).where(eq(messages.id, id));
    },
    async markSent(id, at) {
      await db.update(messages).set({ status: 'sent', sentAt: at, error: null }).where(eq(messages.id, id));
    },
    async markFailed(id, error) {
      await db.update(messages).set({ status: 'failed', error }).where(eq(messages.id, id));
    },
    async recentShown(leadId, limit) {
      const rows = await db
        .select()
        .from(messages)
        .where(and(eq(messages.leadId, leadId), isNotNull(messages.slackTs)))
        .orderBy(desc(messages.createdAt))
        .limit(limit);
      return rows.map(toMessage).reverse();
    },
  };
}

/** Inserts many messages in one statement (see inbound-repository.ts, which runs it). */
export function insertMessagesSql(rows: readonly NewMessage[]): SQL {
  return sql`
    insert into messages (id, lead_id, direction, kind, text, payload, line_message_id, author_id,
      slack_channel_id, slack_ts, status, created_at)
    select * from unnest(
      ${pgArray(rows.map((m) => m.id))}::uuid[],
      ${pgArray(rows.map((m) => m.leadId))}::uuid[],
      ${pgArray(rows.map((m) => m.direction))}::text[],
      ${pgArray(rows.map((m) => m.content.kind))}::text[],
      ${pgArray(rows.map((m) => m.text))}::text[],
      ${pgArray(rows.map((m) => JSON.stringify(m.content)))}::jsonb[],
      ${pgArray(rows.map((m) => m.lineMessageId))}::text[],
      ${pgArray(rows.map((m) => m.authorId))}::text[],
      ${pgArray(rows.map((m) => m.slackChannelId))}::text[],
      ${pgArray(rows.map((m) => m.slackTs))}::text[],
      ${pgArray(rows.map((m) => m.status))}::text[],
      ${pgArray(rows.map((m) => m.createdAt.toISOString()))}::timestamptz[])`;
}

import { sql } from 'drizzle-orm';
import type { Lead } from '../../src/domain/lead.ts';
import { leadOrderKey } from '../../src/domain/lead.ts';
import type { ErasureInventory, Repos } from '../../src/ports.ts';
import { type Executor, rowsOf } from './executor.ts';
import { leadHistoryRepository } from './lead-history-repository.ts';

/** What a placeholder LINE user id looks like on an erased lead: unique, and nobody's. */
export const erasedLineUserId = (leadId: string) => `erased:${leadId}`;

/**
 * Erasure touches every table that can hold something of the person. The raw-event tables are
 * searched by the LINE user id anywhere in the stored JSON (a group event names its sender only
 * inside the payload); that scan is slow on a big table and fine for a rare, manual operation.
 */
export function erasureRepository(db: Executor): Repos['erasure'] {
  const count = async (query: ReturnType<typeof sql>) =>
    Number(rowsOf<{ n: string | number }>(await db.execute(query))[0]?.n ?? 0);

  const outboxAbout = (lead: Lead) => sql`(
    order_key = ${leadOrderKey(lead.id)}
    or payload->>'leadId' = ${lead.id}
    or payload->>'messageId' in (select id::text from messages where lead_id = ${lead.id}))`;
  const eventsOf = (lead: Lead) =>
    sql`(line_user_id = ${lead.lineUserId} or strpos(payload::text, ${lead.lineUserId}) > 0)`;

  const inventory = async (lead: Lead): Promise<ErasureInventory> => {
    const [messages, touches, webhookEvents, outboxRows, deadLetters, historyNotes, threads] =
      await Promise.all([
        count(sql`select count(*) as n from messages where lead_id = ${lead.id}`),
        count(sql`select count(*) as n from touches where lead_id = ${lead.id}`),
        count(sql`select count(*) as n from line_webhook_events where ${eventsOf(lead)}`),
        count(sql`select count(*) as n from outbox where ${outboxAbout(lead)}`),
        count(sql`select count(*) as n from dead_letters where strpos(raw, ${lead.lineUserId}) > 0`),
        count(sql`select count(*) as n from lead_history where lead_id = ${lead.id} and note is not null`),
        count(sql`select count(*) as n from lead_threads where lead_id = ${lead.id}`),
      ]);
    return { messages, touches, webhookEvents, outboxRows, deadLetters, historyNotes, threads };
  };

  return {
    inventory,
    async erase(lead, at) {
      // First the row itself: this takes its lock, so a concurrent erasure or a webhook for the
      // person waits, and then no longer finds them by their LINE user id.
      const claimed = rowsOf<{ id: string }>(
        await db.execute(sql`
          update leads set
            line_user_id = ${erasedLineUserId(lead.id)}, display_name = null, picture_url = null,
            close_reason = null, handover_date = null, snoozed_until = null,
            awaiting_reply_since = null, escalation_level = 0, auto_acked_at = null,
            erased_at = ${at.toISOString()}::timestamptz, updated_at = ${at.toISOString()}::timestamptz
          where id = ${lead.id} and erased_at is null
          returning id`),
      );
      if (claimed.length === 0) return null;
      const counted = await inventory(lead);
      // Outbox rows first: they may name messages by id.
      await db.execute(sql`delete from outbox where ${outboxAbout(lead)}`);
      await db.execute(sql`delete from messages where lead_id = ${lead.id}`);
      // Touches stay for the team's numbers (when, how, by whom), without what anyone wrote.
      await db.execute(sql`update touches set note = null, message_id = null where lead_id = ${lead.id}`);
      // Events keep their id (so a redelivery is still recognised) and lose everything else.
      await db.execute(sql`
        update line_webhook_events set line_user_id = null, payload = '{}'::jsonb where ${eventsOf(lead)}`);
      await db.execute(sql`delete from dead_letters where strpos(raw, ${lead.lineUserId}) > 0`);
      await leadHistoryRepository(db).eraseNotes(lead.id);
      // Interests are about the person; the sequences stop (a queued step finds the lead erased).
      await db.execute(sql`delete from lead_tags where lead_id = ${lead.id}`);
      await db.execute(sql`
        update sequence_enrolments set state = 'stopped', stop_reason = 'erased', send_at = null,
          resume_at = null, ended_at = ${at.toISOString()}::timestamptz, updated_at = ${at.toISOString()}::timestamptz
        where lead_id = ${lead.id} and state in ('active', 'paused')`);
      return counted;
    },
  };
}

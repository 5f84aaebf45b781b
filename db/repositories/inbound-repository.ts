import { type SQL, sql } from 'drizzle-orm';
import type { Repos } from '../../src/ports.ts';
import type { Executor } from './executor.ts';
import { insertHistorySql } from './lead-history-repository.ts';
import { applyMessageStatesSql } from './lead-repository.ts';
import { insertMessagesSql } from './message-repository.ts';
import { enqueueSql } from './outbox-repository.ts';
import { insertTouchesSql } from './touch-repository.ts';

/**
 * The hot path of ingest: everything a batch of lead messages writes (messages, their touches, the
 * leads' new state and history, the outbox rows) goes out as one statement of data-modifying CTEs. One statement
 * is one round trip and one socket write for the driver, and one parse and plan for PostgreSQL,
 * where four separate statements cost four. Foreign keys are checked at the end of the statement,
 * so touches may point at the messages inserted beside them.
 */
export function inboundRepository(db: Executor): Repos['inbound'] {
  return {
    async record({ messages, touches, states, entries, history, at }) {
      const parts: SQL[] = [];
      if (messages.length > 0) parts.push(insertMessagesSql(messages));
      if (touches.length > 0) parts.push(insertTouchesSql(touches));
      if (states.length > 0) parts.push(applyMessageStatesSql(states, at));
      if (entries.length > 0) parts.push(enqueueSql(entries));
      if (history.length > 0) parts.push(insertHistorySql(history));
      if (parts.length === 0) return;
      const ctes = sql.join(
        parts.map((part, index) => sql`${sql.raw(`w${index}`)} as (${part})`),
        sql`, `,
      );
      await db.execute(sql`with ${ctes} select 1`);
    },
  };
}

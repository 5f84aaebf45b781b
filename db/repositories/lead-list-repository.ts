import { sql } from 'drizzle-orm';
import type { Lead } from '../../src/domain/lead.ts';
import type { Repos, TeamOverviewRow } from '../../src/ports.ts';
import { leads } from '../schema.ts';
import { type Executor, rowsOf } from './executor.ts';
import { fromRawRow, type RawLeadRow } from './lead-repository.ts';
import {
  awaitingReplySql,
  leadListOrderSql,
  leadListSql,
  neglectedSql,
  rankedLeadsSql,
  workableLeadSql,
} from './lead-rules-sql.ts';

/**
 * The lead list and the team overview. Both filter, order and cut in the database: an owner's leads
 * come from leads_owner_idx, waiting ones from the partial leads_awaiting_idx, and a page is a
 * LIMIT/OFFSET over the list's total order, so a request reads one page, never every lead.
 */
export function leadListRepository(db: Executor): Repos['leadList'] {
  return {
    async count(filter, ranking) {
      const [row] = rowsOf<{ n: number }>(
        await db.execute(
          sql`select count(*)::int as n from ${rankedLeadsSql(ranking)} where ${leadListSql(filter, ranking)}`,
        ),
      );
      return Number(row?.n ?? 0);
    },
    async page(filter, ranking, window) {
      const rows = rowsOf<RawLeadRow>(
        await db.execute(sql`
          select leads.* from ${rankedLeadsSql(ranking)}
          where ${leadListSql(filter, ranking)}
          order by ${leadListOrderSql(ranking)}
          limit ${Math.max(0, Math.floor(window.limit))}::int offset ${Math.max(0, Math.floor(window.offset))}::int`),
      );
      return rows.map(fromRawRow);
    },
    async teamOverview(ranking, names) {
      const owned = sql`${workableLeadSql()} and ${leads.ownerId} is not null`;
      const awaiting = awaitingReplySql();
      const neglected = neglectedSql(ranking.neglectedBefore);
      const counts = rowsOf<{ owner_id: string; leads: number; awaiting: number; neglected: number }>(
        await db.execute(sql`
          select owner_id, count(*)::int as leads,
            (count(*) filter (where ${awaiting}))::int as awaiting,
            (count(*) filter (where ${neglected}))::int as neglected
          from leads where ${owned} group by owner_id`),
      );
      // The first few of each owner's waiting and neglected leads, in the order the lead list
      // shows them, so that 「ほか3件」 continues in `/tsuikyaku leads @rep 返信待ち`.
      const named = rowsOf<RawLeadRow & { list: 'awaiting' | 'neglected' }>(
        await db.execute(sql`
          select * from (
            select leads.*, lists.list,
              row_number() over (partition by leads.owner_id, lists.list order by ${leadListOrderSql(ranking)}) as n
            from ${rankedLeadsSql(ranking)}
            cross join lateral (
              select 'awaiting' as list where ${awaiting}
              union all select 'neglected' as list where ${neglected}
            ) as lists
            where ${owned}
          ) as named
          where n <= ${Math.max(0, Math.floor(names))}::int
          order by owner_id, list, n`),
      );
      const byOwner = new Map<string, TeamOverviewRow>(
        counts.map((c) => [
          c.owner_id,
          {
            ownerId: c.owner_id,
            leads: Number(c.leads),
            awaiting: Number(c.awaiting),
            neglected: Number(c.neglected),
            awaitingLeads: [] as Lead[],
            neglectedLeads: [] as Lead[],
          },
        ]),
      );
      for (const row of named) {
        const entry = byOwner.get(String(row.owner_id));
        if (!entry) continue;
        (row.list === 'awaiting' ? entry.awaitingLeads : entry.neglectedLeads).push(fromRawRow(row));
      }
      return [...byOwner.values()];
    },
  };
}

import { eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { AmountBand } from '../../src/domain/follow-up/amount-band.ts';
import { type PriorityMatrix, UNKNOWN_BAND } from '../../src/domain/follow-up/priority.ts';
import {
  SEGMENT_ORDER,
  segmentRank,
  segmentUpperBounds,
} from '../../src/domain/follow-up/purchase-timing.ts';
import { OPEN_DEAL_STAGES } from '../../src/domain/lead.ts';
import type { LeadListFilter, LeadRanking } from '../../src/domain/lead-list.ts';
import { leads, touches } from '../schema.ts';

// The SQL form of the follow-up rules in src/domain/lead.ts, src/domain/follow-up/ (touch, neglect,
// purchase timing, amount band, priority) and src/domain/lead-list.ts, for the queries that select
// and order by them. tests/db/rule-agreement.test.ts checks that both forms agree.

/** isOpenDeal: a deal not yet won or lost. */
export function openDealSql(): SQL {
  return inArray(leads.stage, [...OPEN_DEAL_STAGES]);
}

/** isPastCustomer: a customer with a handover date, on the after-sales calendar. */
export function pastCustomerSql(): SQL {
  return sql`(${eq(leads.kind, 'customer')} and ${isNotNull(leads.handoverDate)})`;
}

/** isErased's negation: the person's data is still here. */
export function notErasedSql(): SQL {
  return isNull(leads.erasedAt);
}

/** isWorkable: not erased, and an open deal or a past customer. */
export function workableLeadSql(): SQL {
  return sql`(${notErasedSql()} and (${openDealSql()} or ${pastCustomerSql()}))`;
}

/** isAttempt: a touch the company made, whatever came of it (the 4-touch rule counts these). */
export function attemptSql(): SQL {
  return eq(touches.direction, 'outbound');
}

/** isAwaitingReply: the lead's message waits for an answer (the partial index leads_awaiting_idx). */
export function awaitingReplySql(): SQL {
  return sql`(${isNotNull(leads.awaitingReplySince)} and ${eq(leads.status, 'active')})`;
}

/** isNeglected: untouched (or, never touched, arrived) before the start of the first fresh day. */
export function neglectedSql(neglectedBefore: Date): SQL {
  return sql`coalesce(${leads.lastTouchAt}, ${leads.createdAt}) < ${neglectedBefore.toISOString()}::timestamptz`;
}

const text = (value: string) => sql`${value}::text`;
/** A number from the settings, inlined: a typed literal where a parameter would have no type. */
const number = (value: number) => {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return sql.raw(String(value));
};

/**
 * storedTiming and timingSegment seen from `today`: a 'YYYY-MM' month counts from its 1st, dates
 * compare as the domain compares its strings (code units, hence "C"), '' is no timing at all.
 */
export function timingSegmentSql(today: string): SQL {
  const timing = leads.purchaseTiming;
  const target = sql`(case when length(${timing}) = 7 then ${timing} || '-01' else ${timing} end) collate "C"`;
  const dated = segmentUpperBounds(today).map(
    ([segment, bound]) => sql`when ${target} <= ${text(bound)} then ${text(segment)}`,
  );
  return sql`(case when ${timing} is null or ${timing} = '' then ${text('undecided')} ${sql.join(dated, sql` `)} else ${text('over_1y')} end)`;
}

/** amountBand's key: the first band whose upper bound holds the amount, else the last; null when unknown. */
export function amountBandSql(bands: readonly AmountBand[]): SQL {
  const last = bands.at(-1);
  const cases = bands.map((band) =>
    band.maxYen === null
      ? sql`when true then ${text(band.key)}`
      : sql`when ${leads.amountYen} <= ${number(band.maxYen)} then ${text(band.key)}`,
  );
  if (!last) return sql`null::text`;
  return sql`(case when ${leads.amountYen} is null then null::text ${sql.join(cases, sql` `)} else ${text(last.key)} end)`;
}

/** priorityScore of a segment and band (SQL values, e.g. a lateral's columns) in `matrix`. */
export function priorityScoreSql(segment: SQL, band: SQL, matrix: PriorityMatrix): SQL {
  const rows = SEGMENT_ORDER.map((s) => {
    const row = matrix[s];
    const unknown = row[UNKNOWN_BAND] ?? 0;
    const known = Object.entries(row)
      .filter(([key]) => key !== UNKNOWN_BAND)
      .map(([key, score]) => sql`when ${text(key)} then ${number(score)}`);
    return sql`when ${text(s)} then (case ${band} ${sql.join(known, sql` `)} else ${number(unknown)} end)`;
  });
  return sql`(case ${segment} ${sql.join(rows, sql` `)} else 0 end)`;
}

/** segmentRank: nearer segments first. */
export function segmentRankSql(segment: SQL): SQL {
  const ranks = SEGMENT_ORDER.map((s) => sql`when ${text(s)} then ${number(segmentRank(s))}`);
  return sql`(case ${segment} ${sql.join(ranks, sql` `)} end)`;
}

/**
 * The lead list's table: leads with their segment and amount band seen from the ranking's day, as
 * `lead_rank.segment` and `lead_rank.band`, computed once per row.
 */
export function rankedLeadsSql(ranking: LeadRanking): SQL {
  return sql`leads cross join lateral (select ${timingSegmentSql(ranking.today)} as segment, ${amountBandSql(ranking.amountBands)} as band) as lead_rank`;
}

const RANK_SEGMENT = sql`lead_rank.segment`;
const RANK_BAND = sql`lead_rank.band`;

/** inLeadList, over rankedLeadsSql. */
export function leadListSql(filter: LeadListFilter, ranking: LeadRanking): SQL {
  return sql.join(
    [
      notErasedSql(),
      filter.stage === null ? workableLeadSql() : eq(leads.stage, filter.stage),
      filter.ownerId === null ? undefined : eq(leads.ownerId, filter.ownerId),
      filter.segment === null ? undefined : sql`${RANK_SEGMENT} = ${text(filter.segment)}`,
      filter.awaiting ? awaitingReplySql() : undefined,
      filter.neglected ? neglectedSql(ranking.neglectedBefore) : undefined,
    ]
      .filter((condition) => condition !== undefined)
      .map((condition) => sql`(${condition})`),
    sql` and `,
  );
}

/** compareLeadListEntries, over rankedLeadsSql: waiting first (oldest first), then the follow-up priority. */
export function leadListOrderSql(ranking: LeadRanking): SQL {
  const awaiting = awaitingReplySql();
  return sql.join(
    [
      sql`(${awaiting}) desc`,
      sql`(case when ${awaiting} then ${leads.awaitingReplySince} end) asc nulls last`,
      sql`${priorityScoreSql(RANK_SEGMENT, RANK_BAND, ranking.priorityMatrix)} desc`,
      sql`${segmentRankSql(RANK_SEGMENT)} asc`,
      sql`coalesce(${leads.amountYen}, -1) desc`,
      sql`${leads.lastTouchAt} asc nulls first`,
      sql`coalesce(${leads.displayName}, '') collate "C" asc`,
      sql`${leads.id} asc`,
    ],
    sql`, `,
  );
}

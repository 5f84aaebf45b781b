import { eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import { OPEN_DEAL_STAGES } from '../../src/domain/lead.ts';
import { leads, touches } from '../schema.ts';

// The SQL form of the follow-up rules in src/domain/lead.ts and src/domain/follow-up/touch.ts, for
// the queries that select by them. tests/db/rule-agreement.test.ts checks that both forms agree.

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

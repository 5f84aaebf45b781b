import type { Catalog } from '../../../src/messages.ts';
import type { ChangeResult } from '../../../src/use-cases/change-lead.ts';

/** What the person who pressed a button reads (ephemeral) after a lead change; null = nothing to say. */
export function changeFeedback(result: ChangeResult, t: Catalog): string | null {
  switch (result.kind) {
    case 'done':
    case 'duplicate':
      return null;
    case 'no_such_lead':
      return t.actionResult.gone;
    case 'forbidden':
      return t.actionResult.forbidden;
    case 'lost_too_early':
      return t.actionResult.lostTooEarly(result.attemptsSoFar, result.needed);
    case 'not_staff':
      return t.actionResult.notStaff(`<@${result.userId}>`);
    case 'invalid':
      return result.field === 'amount' ? t.modal.amountZero : t.modal.nextDatePast;
    case 'already_closed':
      return t.actionResult.closed(t.followUp.stages[result.stage]);
  }
}

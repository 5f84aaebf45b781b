import type { ErasureInventory } from '../../src/ports.ts';
import type { ErasureCandidate } from '../../src/use-cases/erase-lead.ts';
import { type BlockContext, leadName, shownDay } from './block-kit.ts';

/** The two steps of `lead erase`: choosing among several matches, then confirming one. */
export const ERASURE_CALLBACK = { choose: 'lead_erase_choose', confirm: 'lead_erase_confirm' } as const;

const plain = (text: string) => ({ type: 'plain_text' as const, text: text.slice(0, 75), emoji: true });
const mrkdwn = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } });
const context = (text: string) => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: text.slice(0, 3000) }],
});
/** Modal titles are at most 24 characters. */
const title = (text: string) => ({ type: 'plain_text' as const, text: text.slice(0, 24) });

function candidateLine(candidate: ErasureCandidate, ctx: BlockContext): string {
  const { lead, ownerName } = candidate;
  return ctx.t.erasure.candidate(
    leadName(lead, ctx.t),
    ownerName ?? (lead.ownerId ? lead.ownerId : ctx.t.nobody),
    shownDay(lead.createdAt, ctx),
  );
}

/** Several people match: pick one (the lead ids offered travel along and are the only ones accepted). */
export function erasureChooseModal(candidates: ErasureCandidate[], more: boolean, ctx: BlockContext) {
  const { t } = ctx;
  const options = candidates.map((candidate) => ({
    text: plain(candidateLine(candidate, ctx)),
    value: candidate.lead.id,
  }));
  return {
    type: 'modal' as const,
    callback_id: ERASURE_CALLBACK.choose,
    private_metadata: JSON.stringify({ leadIds: candidates.map((c) => c.lead.id) }),
    title: title(t.erasure.title),
    submit: plain(t.erasure.next),
    close: plain(t.modal.close),
    blocks: [
      mrkdwn(t.erasure.intro),
      {
        type: 'input',
        block_id: 'lead',
        label: plain(t.erasure.choose),
        element: { type: 'radio_buttons', action_id: 'value', options },
      },
      ...(more ? [context(t.erasure.more(candidates.length))] : []),
    ],
  };
}

/** The confirmation: who, what goes, what stays, and what Slack keeps. */
export function erasureConfirmModal(
  candidate: ErasureCandidate,
  inventory: ErasureInventory,
  ctx: BlockContext,
) {
  const { t } = ctx;
  const removes = [
    t.erasure.removesProfile,
    t.erasure.removesMessages(inventory.messages),
    t.erasure.removesTouches(inventory.touches),
    t.erasure.removesEvents(inventory.webhookEvents),
    t.erasure.removesOutbox(inventory.outboxRows),
    ...(inventory.deadLetters > 0 ? [t.erasure.removesDeadLetters(inventory.deadLetters)] : []),
    ...(inventory.historyNotes > 0 ? [t.erasure.removesHistoryNotes(inventory.historyNotes)] : []),
  ];
  return {
    type: 'modal' as const,
    callback_id: ERASURE_CALLBACK.confirm,
    private_metadata: JSON.stringify({ leadId: candidate.lead.id }),
    title: title(t.erasure.title),
    submit: plain(t.erasure.submit),
    close: plain(t.modal.close),
    blocks: [
      mrkdwn(t.erasure.intro),
      mrkdwn(`*${candidateLine(candidate, ctx)}*`),
      mrkdwn([`*${t.erasure.removesTitle}*`, ...removes.map((line) => `• ${line}`)].join('\n')),
      context(t.erasure.keeps),
      context(t.erasure.slack(inventory.threads)),
    ],
  };
}

/** What the modal shows after the submission: done, or why nothing happened. */
export function erasureResultView(heading: string, text: string, ctx: BlockContext) {
  return {
    type: 'modal' as const,
    title: title(heading),
    close: plain(ctx.t.modal.close),
    blocks: [mrkdwn(text)],
  };
}

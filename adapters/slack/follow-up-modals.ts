import { LOST_REASONS } from '../../src/domain/follow-up/close-reason.ts';
import { MIN_ATTEMPTS_BEFORE_GIVING_UP } from '../../src/domain/follow-up/touch.ts';
import type { Lead } from '../../src/domain/lead.ts';
import { type Block, type BlockContext, contextLine, leadName, mrkdwnSection } from './block-kit.ts';
import { amountText } from './follow-up-blocks.ts';
import { CALLBACK } from './follow-up-ids.ts';

const plain = (text: string) => ({ type: 'plain_text', text: text.slice(0, 150), emoji: true });
/** Modal titles are at most 24 characters. */
const title = (text: string) => ({ type: 'plain_text', text: text.slice(0, 24) });

const OUTCOMES = {
  phone: ['reached', 'no_answer', 'left_message', 'sent', 'other'],
  visit: ['met', 'no_answer', 'other'],
} as const;

/** The 電話した modal also records other personal channels: e-mail, a letter or card, anything else. */
const CONTACT_CHANNELS = ['phone', 'email', 'letter', 'other'] as const;

/** What a submitted touch modal may carry; anything else in a payload is refused. */
export const TOUCH_OUTCOMES: ReadonlySet<string> = new Set([...OUTCOMES.phone, ...OUTCOMES.visit]);
export const TOUCH_CHANNELS: ReadonlySet<string> = new Set([...CONTACT_CHANNELS, 'visit']);

/** Every follow-up modal: the lead id travels in private_metadata and is checked again on submit. */
/** Where a modal was opened from (a digest line), so its outcome can be shown there. */
export interface ModalOrigin {
  channelId: string;
  ts: string;
}

function modal(
  callbackId: string,
  metadata: Record<string, unknown>,
  texts: { title: string; submit: string },
  ctx: BlockContext,
  blocks: Block[],
) {
  return {
    type: 'modal' as const,
    callback_id: callbackId,
    private_metadata: JSON.stringify(metadata),
    title: title(texts.title),
    submit: plain(texts.submit),
    close: plain(ctx.t.modal.close),
    blocks,
  };
}

export function touchModal(lead: Lead, channel: 'phone' | 'visit', ctx: BlockContext, from?: ModalOrigin) {
  const { t } = ctx;
  const options = OUTCOMES[channel].map((outcome) => ({
    text: plain(t.followUp.outcomes[outcome]),
    value: outcome,
  }));
  return modal(
    CALLBACK.touch,
    { leadId: lead.id, channel, ...(from ? { from } : {}) },
    { title: t.modal.touchTitle[channel], submit: t.modal.save },
    ctx,
    [
      mrkdwnSection(`*${leadName(lead, t)}*`),
      ...(channel === 'phone' ? [channelInput(ctx)] : []),
      {
        type: 'input',
        block_id: 'outcome',
        label: plain(t.modal.outcome),
        element: { type: 'radio_buttons', action_id: 'value', options, initial_option: options[0] },
      },
      {
        type: 'input',
        block_id: 'note',
        optional: true,
        label: plain(t.modal.note),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          max_length: 2000,
          placeholder: plain(t.modal.notePlaceholder),
        },
      },
      {
        type: 'input',
        block_id: 'next',
        optional: true,
        label: plain(t.modal.nextDate),
        element: { type: 'datepicker', action_id: 'value' },
      },
    ],
  );
}

function channelInput(ctx: BlockContext) {
  const options = CONTACT_CHANNELS.map((c) => ({ text: plain(ctx.t.followUp.channels[c]), value: c }));
  return {
    type: 'input',
    block_id: 'channel',
    label: plain(ctx.t.modal.channel),
    element: { type: 'static_select', action_id: 'value', options, initial_option: options[0] },
  };
}

export function amountModal(lead: Lead, ctx: BlockContext, from?: ModalOrigin) {
  const { t } = ctx;
  return modal(
    CALLBACK.amount,
    { leadId: lead.id, ...(from ? { from } : {}) },
    { title: t.modal.amountTitle, submit: t.modal.save },
    ctx,
    [
      mrkdwnSection(`*${leadName(lead, t)}*  ${t.followUp.amount}: ${amountText(lead, ctx)}`),
      {
        type: 'input',
        block_id: 'amount',
        optional: true,
        label: plain(t.modal.amountLabel),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          placeholder: plain(t.modal.amountPlaceholder),
          ...(lead.amountYen !== null ? { initial_value: String(lead.amountYen) } : {}),
        },
      },
    ],
  );
}

/** 失注: the reason decides whether the 4-touch rule applies (only to 連絡がつかない), and the modal says so. */
export function lostModal(lead: Lead, attemptsSoFar: number, ctx: BlockContext, from?: ModalOrigin) {
  const { t } = ctx;
  return modal(
    CALLBACK.lost,
    { leadId: lead.id, ...(from ? { from } : {}) },
    { title: t.modal.lostTitle, submit: t.modal.lostSubmit },
    ctx,
    [
      mrkdwnSection(`*${leadName(lead, t)}*`),
      contextLine(t.modal.lostHint(attemptsSoFar, MIN_ATTEMPTS_BEFORE_GIVING_UP)),
      {
        type: 'input',
        block_id: 'reason',
        label: plain(t.modal.lostReason),
        element: {
          type: 'static_select',
          action_id: 'value',
          options: LOST_REASONS.map((reason) => ({
            text: plain(t.modal.lostReasons[reason]),
            value: reason,
          })),
        },
      },
      {
        type: 'input',
        block_id: 'note',
        optional: true,
        label: plain(t.modal.note),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 },
      },
    ],
  );
}

/** 成約: optionally with the handover date, which makes the lead a past customer with after-sales follow-ups. */
export function wonModal(lead: Lead, ctx: BlockContext, from?: ModalOrigin) {
  const { t } = ctx;
  return modal(
    CALLBACK.won,
    { leadId: lead.id, ...(from ? { from } : {}) },
    { title: t.modal.wonTitle, submit: t.modal.wonSubmit },
    ctx,
    [
      mrkdwnSection(t.followUp.confirmWon(leadName(lead, t))),
      {
        type: 'input',
        block_id: 'handover',
        optional: true,
        label: plain(t.modal.handoverDate),
        hint: plain(t.modal.handoverHint),
        element: { type: 'datepicker', action_id: 'value' },
      },
    ],
  );
}

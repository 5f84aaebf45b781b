import type { Lead } from '../../src/domain/lead.ts';
import { amountText } from './follow-up-blocks.ts';
import { CALLBACK } from './follow-up-ids.ts';
import { type BlockContext, leadName } from './lead-blocks.ts';

const plain = (text: string) => ({ type: 'plain_text', text: text.slice(0, 150), emoji: true });
/** Modal titles are at most 24 characters. */
const title = (text: string) => ({ type: 'plain_text', text: text.slice(0, 24) });

const OUTCOMES = {
  phone: ['reached', 'no_answer', 'left_message', 'sent', 'other'],
  visit: ['met', 'no_answer', 'other'],
} as const;

/** The 電話した modal also records other personal channels: e-mail, a letter or card, anything else. */
const CONTACT_CHANNELS = ['phone', 'email', 'letter', 'other'] as const;

export const LOST_REASONS = ['declined', 'competitor', 'postponed', 'no_response', 'other'] as const;

export function touchModal(lead: Lead, channel: 'phone' | 'visit', ctx: BlockContext) {
  const { t } = ctx;
  const options = OUTCOMES[channel].map((outcome) => ({
    text: plain(t.followUp.outcomes[outcome]),
    value: outcome,
  }));
  return {
    type: 'modal' as const,
    callback_id: CALLBACK.touch,
    private_metadata: JSON.stringify({ leadId: lead.id, channel }),
    title: title(t.modal.touchTitle[channel]),
    submit: plain(t.modal.save),
    close: plain(t.modal.close),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${leadName(lead, t)}*` } },
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
  };
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

export function amountModal(lead: Lead, ctx: BlockContext) {
  const { t } = ctx;
  return {
    type: 'modal' as const,
    callback_id: CALLBACK.amount,
    private_metadata: JSON.stringify({ leadId: lead.id }),
    title: title(t.modal.amountTitle),
    submit: plain(t.modal.save),
    close: plain(t.modal.close),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${leadName(lead, t)}*  ${t.followUp.amount}: ${amountText(lead, ctx)}`,
        },
      },
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
  };
}

export function lostModal(lead: Lead, ctx: BlockContext) {
  const { t } = ctx;
  return {
    type: 'modal' as const,
    callback_id: CALLBACK.lost,
    private_metadata: JSON.stringify({ leadId: lead.id }),
    title: title(t.modal.lostTitle),
    submit: plain(t.modal.lostSubmit),
    close: plain(t.modal.close),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${leadName(lead, t)}*` } },
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
  };
}

/** 成約: optionally with the handover date, which makes the lead a past customer with after-sales follow-ups. */
export function wonModal(lead: Lead, ctx: BlockContext) {
  const { t } = ctx;
  return {
    type: 'modal' as const,
    callback_id: CALLBACK.won,
    private_metadata: JSON.stringify({ leadId: lead.id }),
    title: title(t.modal.wonTitle),
    submit: plain(t.modal.wonSubmit),
    close: plain(t.modal.close),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: t.followUp.confirmWon(leadName(lead, t)) } },
      {
        type: 'input',
        block_id: 'handover',
        optional: true,
        label: plain(t.modal.handoverDate),
        hint: plain(t.modal.handoverHint),
        element: { type: 'datepicker', action_id: 'value' },
      },
    ],
  };
}

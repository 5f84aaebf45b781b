/** Action and callback IDs of the follow-up surface; values carry the lead id, always re-checked. */
export const ACTION = {
  call: 'lead_call',
  visit: 'lead_visit',
  timing: 'lead_timing',
  amount: 'lead_amount',
  snooze: 'lead_snooze',
  reassign: 'lead_reassign',
  won: 'lead_won',
  lost: 'lead_lost',
  digestPage: 'digest_page',
} as const;

export const CALLBACK = {
  touch: 'touch_modal',
  amount: 'amount_modal',
  lost: 'lost_modal',
  won: 'won_modal',
} as const;

/** スヌーズ presets, in days. */
export const SNOOZE_DAYS = ['1', '3', '7', '14', '30'] as const;

/** Select options carry "<leadId>|<choice>"; block ids carry "lead:<leadId>" for the users select. */
export const joinValue = (leadId: string, choice: string) => `${leadId}|${choice}`;

export function splitValue(value: string | undefined): { leadId: string; choice: string } | null {
  if (!value) return null;
  const bar = value.indexOf('|');
  if (bar <= 0) return null;
  return { leadId: value.slice(0, bar), choice: value.slice(bar + 1) };
}

/** The digest marks its header and each lead's line, so a press can be answered on its own line. */
export const DIGEST_HEADER_ID = 'digest';
export const digestLineId = (leadId: string) => `line:${leadId}`;

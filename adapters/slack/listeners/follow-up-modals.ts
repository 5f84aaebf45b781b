import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { parseYenInput } from '../../../src/domain/follow-up/amount-band.ts';
import { isLostReason } from '../../../src/domain/follow-up/close-reason.ts';
import { changeLead, type LeadChange } from '../../../src/use-cases/change-lead.ts';
import { changeResultText } from '../action-result.ts';
import { CALLBACK } from '../follow-up-ids.ts';
import { TOUCH_CHANNELS, TOUCH_OUTCOMES } from '../follow-up-modals.ts';
import { viewKey } from '../idempotency-key.ts';
import { changeFeedback } from './change-feedback.ts';
import type { ListenerDeps } from './listener-deps.ts';
import { readPrivateMetadata } from './private-metadata.ts';
import { showActionResult } from './show-action-result.ts';

const metadata = z.object({
  leadId: z.uuid(),
  channel: z.enum(['phone', 'visit']).optional(),
  /** The digest line (message) the modal was opened from. */
  from: z.object({ channelId: z.string().max(40), ts: z.string().max(40) }).optional(),
});

type Values = ViewSubmitAction['view']['state']['values'];
const inputOf = (values: Values, block: string) => values[block]?.value;

/**
 * Modal submissions. Problems are answered inside the modal (response_action: errors) so the rep
 * can fix them without losing what they typed; the lead id comes from private_metadata and is
 * checked again by changeLead. The view's id is the change's idempotency key: the same view
 * submitted again after it took effect (a double click) only closes the modal.
 */
export function registerFollowUpModals(app: App, deps: ListenerDeps): void {
  const { t } = deps;
  const submit = (
    callbackId: string,
    errorBlock: string,
    build: (values: Values, meta: z.infer<typeof metadata>) => LeadChange | string,
  ) =>
    app.view<ViewSubmitAction>(callbackId, async ({ ack, body, view, client }) => {
      const meta = readPrivateMetadata(metadata, view.private_metadata);
      if (!meta.success)
        return void (await ack({ response_action: 'errors', errors: { [errorBlock]: t.actionResult.gone } }));
      const built = build(view.state.values, meta.data);
      if (typeof built === 'string')
        return void (await ack({ response_action: 'errors', errors: { [errorBlock]: built } }));
      let result: Awaited<ReturnType<typeof changeLead>>;
      try {
        result = await changeLead(deps, {
          actorId: body.user.id,
          leadId: meta.data.leadId,
          change: built,
          idempotencyKey: viewKey(view),
        });
      } catch (error) {
        // The modal stays open with what the rep typed, so trying again costs one click.
        await ack({ response_action: 'errors', errors: { [errorBlock]: t.somethingWentWrong } });
        throw error;
      }
      const feedback = changeFeedback(result, t);
      // A wrong value is shown under the field it came from.
      const block =
        result.kind === 'invalid' ? (result.field === 'next_date' ? 'next' : 'amount') : errorBlock;
      if (feedback) return void (await ack({ response_action: 'errors', errors: { [block]: feedback } }));
      await ack();
      deps.kick();
      if (result.kind === 'done' && meta.data.from) {
        await showActionResult(deps, client, {
          origin: { ...meta.data.from, ephemeral: false },
          leadId: meta.data.leadId,
          text: changeResultText(built, result, deps.blocks),
          refusal: false,
          fallback: async () => {},
        });
      }
    });

  submit(CALLBACK.touch, 'outcome', (values, meta) => {
    const outcome = inputOf(values, 'outcome')?.selected_option?.value;
    if (!outcome || !TOUCH_OUTCOMES.has(outcome)) return t.modal.outcome;
    const note = inputOf(values, 'note')?.value?.trim() || null;
    const nextDate = inputOf(values, 'next')?.selected_date ?? null;
    const chosen = inputOf(values, 'channel')?.selected_option?.value;
    return {
      kind: 'touch',
      channel: (chosen && TOUCH_CHANNELS.has(chosen) ? chosen : (meta.channel ?? 'phone')) as 'phone',
      outcome: outcome as 'reached',
      note,
      nextDate: nextDate && /^\d{4}-\d{2}-\d{2}$/.test(nextDate) ? nextDate : null,
    };
  });

  submit(CALLBACK.amount, 'amount', (values) => {
    const text = inputOf(values, 'amount')?.value?.trim() ?? '';
    if (text === '') return { kind: 'amount', amountYen: null };
    const parsed = parseYenInput(text);
    if (parsed.ok) return { kind: 'amount', amountYen: parsed.yen };
    return parsed.problem === 'zero' ? t.modal.amountZero : t.modal.amountInvalid;
  });

  submit(CALLBACK.won, 'handover', (values) => {
    const date = inputOf(values, 'handover')?.selected_date ?? null;
    return { kind: 'won', handoverDate: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null };
  });

  submit(CALLBACK.lost, 'reason', (values) => {
    const reason = inputOf(values, 'reason')?.selected_option?.value;
    if (!reason || !isLostReason(reason)) return t.modal.lostReason;
    const note = inputOf(values, 'note')?.value?.trim() || null;
    return { kind: 'lost', reason, note };
  });
}

import type { App, BlockAction, types, webApi } from '@slack/bolt';
import { z } from 'zod';
import { isTimingPreset } from '../../../src/domain/follow-up/purchase-timing.ts';
import { canActOnLead } from '../../../src/domain/staff.ts';
import { buildRepDigest } from '../../../src/use-cases/build-rep-digest.ts';
import { changeLead, type LeadChange } from '../../../src/use-cases/change-lead.ts';
import { type ActionOrigin, changeResultText } from '../action-result.ts';
import { digestMessage } from '../follow-up-blocks.ts';
import { ACTION, SNOOZE_DAYS, splitValue } from '../follow-up-ids.ts';
import { amountModal, lostModal, touchModal, wonModal } from '../follow-up-modals.ts';
import { actionKey } from '../idempotency-key.ts';
import { changeFeedback } from './change-feedback.ts';
import type { ListenerDeps } from './listener-deps.ts';
import { showActionResult } from './show-action-result.ts';

const uuid = z.uuid();
const SNOOZE_CHOICES = new Set<string>(SNOOZE_DAYS);

interface Acted {
  userId: string;
  leadId: string | null;
  choice: string | null;
  triggerId: string | undefined;
  origin: ActionOrigin | null;
  /** This one press, so that the same payload delivered again changes nothing. */
  pressKey: string | undefined;
}

/** Reads who acted on which lead from any of our block actions; nothing in it is trusted yet. */
function acted(body: BlockAction): Acted {
  const action = body.actions[0] as unknown as Record<string, unknown> | undefined;
  let leadId: string | null = null;
  let choice: string | null = null;
  const selected = (action?.selected_option as { value?: string } | undefined)?.value;
  if (selected) {
    const parts = splitValue(selected);
    leadId = parts?.leadId ?? null;
    choice = parts?.choice ?? null;
  } else if (typeof action?.selected_user === 'string') {
    leadId = String(action.block_id ?? '').replace(/^lead:/, '');
    choice = action.selected_user;
  } else if (typeof action?.value === 'string') {
    leadId = action.value;
  }
  return {
    userId: body.user.id,
    leadId: leadId && uuid.safeParse(leadId).success ? leadId : null,
    choice,
    triggerId: body.trigger_id,
    pressKey: actionKey(body),
    origin: originOf(body),
  };
}

/** The message the press came from (a digest or a card), to answer on it. */
export function originOf(body: BlockAction): ActionOrigin | null {
  const container = body.container as {
    type?: string;
    channel_id?: string;
    message_ts?: string;
    is_ephemeral?: boolean;
  };
  if (container?.type !== 'message' || !container.channel_id || !container.message_ts) return null;
  return {
    channelId: container.channel_id,
    ts: container.message_ts,
    ephemeral: container.is_ephemeral === true,
  };
}

/**
 * The buttons on lead cards and digest lines. Each one acks at once (Slack's 3-second rule), then
 * either opens a modal (views.open must use the trigger within 3 s, so before any slow work) or
 * changes the lead through the one use case that re-checks who may act.
 */
export function registerFollowUpActions(app: App, deps: ListenerDeps): void {
  const { t } = deps;

  const change = async (
    a: Acted,
    client: webApi.WebClient,
    make: (choice: string | null) => LeadChange | null,
    tell: (text: string) => Promise<unknown>,
  ) => {
    const leadChange = make(a.choice);
    if (!a.leadId || !leadChange) return void (await tell(t.actionResult.gone));
    const result = await changeLead(deps, {
      actorId: a.userId,
      leadId: a.leadId,
      change: leadChange,
      ...(a.pressKey ? { idempotencyKey: a.pressKey } : {}),
    });
    if (result.kind === 'done') deps.kick();
    const feedback = changeFeedback(result, t);
    const text =
      result.kind === 'done'
        ? changeResultText(leadChange, result, deps.blocks)
        : feedback
          ? `:warning: ${feedback}`
          : null;
    if (text) {
      await showActionResult(deps, client, {
        origin: a.origin,
        leadId: a.leadId,
        text,
        refusal: result.kind !== 'done',
        fallback: () => tell(feedback ?? text),
      });
    }
  };

  const openModal = (build: 'call' | 'visit' | 'amount' | 'lost' | 'won') =>
    app.action<BlockAction>(ACTION[build], async ({ ack, body, client, respond }) => {
      await ack();
      const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      const a = acted(body);
      const lead = a.leadId ? await deps.store.leads.get(a.leadId) : null;
      const refuse = (text: string) =>
        showActionResult(deps, client, {
          origin: a.origin,
          leadId: a.leadId ?? '',
          text: `:warning: ${text}`,
          refusal: true,
          fallback: () => tell(text),
        });
      if (!lead || !a.triggerId) return void (await refuse(t.actionResult.gone));
      if (!canActOnLead(await deps.store.staff.get(a.userId), lead))
        return void (await refuse(t.actionResult.forbidden));
      // The modal remembers where it was opened, so its outcome can be shown on that line.
      const from =
        a.origin && !a.origin.ephemeral ? { channelId: a.origin.channelId, ts: a.origin.ts } : undefined;
      const view =
        build === 'call'
          ? touchModal(lead, 'phone', deps.blocks, from)
          : build === 'visit'
            ? touchModal(lead, 'visit', deps.blocks, from)
            : build === 'amount'
              ? amountModal(lead, deps.blocks, from)
              : build === 'won'
                ? wonModal(lead, deps.blocks, from)
                : lostModal(lead, await deps.store.touches.countOutbound(lead.id), deps.blocks, from);
      // Our builders produce plain JSON checked by the fake Slack's Block Kit rules in tests.
      await client.views.open({ trigger_id: a.triggerId, view: view as unknown as types.ModalView });
    });
  openModal('call');
  openModal('visit');
  openModal('amount');
  openModal('lost');
  openModal('won');

  const select = (actionId: string, make: (choice: string | null) => LeadChange | null) =>
    app.action<BlockAction>(actionId, async ({ ack, body, respond, client }) => {
      await ack();
      const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      await change(acted(body), client, make, tell);
    });
  select(ACTION.timing, (choice) =>
    choice && isTimingPreset(choice) ? { kind: 'timing', preset: choice } : null,
  );
  select(ACTION.snooze, (choice) =>
    choice && SNOOZE_CHOICES.has(choice) ? { kind: 'snooze', days: Number(choice) } : null,
  );
  select(ACTION.reassign, (choice) => (choice ? { kind: 'reassign', ownerId: choice } : null));

  app.action<BlockAction>(ACTION.digestPage, async ({ ack, body, respond }) => {
    await ack();
    const value = (body.actions[0] as { value?: string } | undefined)?.value;
    const page = Number(splitValue(value)?.choice ?? 0);
    // Always the clicking rep's own list: the page number is the only thing taken from the payload.
    const now = deps.clock.now();
    const { digest, today } = await buildRepDigest(deps, body.user.id, now);
    await respond({
      replace_original: true,
      ...digestMessage(digest, Number.isFinite(page) ? page : 0, today, now, deps.blocks),
    });
  });
}

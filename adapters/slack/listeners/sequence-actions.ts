import type { App, BlockAction, RespondFn, types } from '@slack/bolt';
import { z } from 'zod';
import { canActOnLead } from '../../../src/domain/staff.ts';
import type { Catalog } from '../../../src/messages.ts';
import {
  changeLeadSequence,
  type SequenceAction,
  type SequenceActionResult,
} from '../../../src/use-cases/sequences/change-lead-sequence.ts';
import { changeLeadTags, type TagChangeResult } from '../../../src/use-cases/sequences/change-lead-tags.ts';
import { splitValue } from '../follow-up-ids.ts';
import { actionKey } from '../idempotency-key.ts';
import { SEQUENCE_ACTION } from '../sequence-ids.ts';
import { tagModal } from '../tag-modal.ts';
import { originOf } from './follow-up-actions.ts';
import type { ListenerDeps } from './listener-deps.ts';

const uuid = z.uuid();

interface Pressed {
  leadId: string | null;
  /** The enrolment id, sequence id or tag the element carries. */
  choice: string | null;
  /** The card was shown to the presser alone (`/tsuikyaku lead`), so no redraw reaches it. */
  ephemeral: boolean;
}

/** Reads which lead (and which enrolment, sequence or tag) a press is about; nothing in it is trusted yet. */
function pressed(body: BlockAction): Pressed {
  const action = body.actions[0] as unknown as Record<string, unknown> | undefined;
  const selected = (action?.selected_option as { value?: string } | undefined)?.value;
  const raw = selected ?? (typeof action?.value === 'string' ? action.value : undefined);
  const parts = splitValue(raw);
  const leadId = parts ? parts.leadId : (raw ?? null);
  const origin = originOf(body);
  return {
    leadId: leadId && uuid.safeParse(leadId).success ? leadId : null,
    choice: parts?.choice ?? null,
    ephemeral: origin === null || origin.ephemeral,
  };
}

/**
 * The step-sequence and tag controls of a lead card. Each acks at once (Slack's 3 seconds), then
 * calls the one use case that re-checks who may act. A change shows itself: the card is redrawn
 * and the thread told; a card shown to the presser alone cannot be redrawn, so they are told. A
 * refusal goes to the presser alone.
 */
export function registerSequenceActions(app: App, deps: ListenerDeps): void {
  const { t } = deps;
  const c = t.sequenceCard;
  const tell = (respond: RespondFn, text: string) =>
    respond({ response_type: 'ephemeral', replace_original: false, text });

  const sequenceAction = (actionId: string, make: (choice: string) => SequenceAction | null) =>
    app.action<BlockAction>(actionId, async ({ ack, body, respond }) => {
      await ack();
      const p = pressed(body);
      const action = p.leadId && p.choice ? make(p.choice) : null;
      if (!p.leadId || !action) return void (await tell(respond, t.actionResult.gone));
      const result = await changeLeadSequence(deps, {
        actorId: body.user.id,
        leadId: p.leadId,
        action,
        ...(actionKey(body) ? { idempotencyKey: actionKey(body) } : {}),
      });
      if (result.kind === 'done') deps.kick();
      const text = sequenceResultText(action, result, t, p.ephemeral);
      if (text) await tell(respond, text);
    });
  const enrolment = (kind: 'pause' | 'resume' | 'stop') => (choice: string) =>
    uuid.safeParse(choice).success ? { kind, enrolmentId: choice } : null;
  sequenceAction(SEQUENCE_ACTION.pause, enrolment('pause'));
  sequenceAction(SEQUENCE_ACTION.resume, enrolment('resume'));
  sequenceAction(SEQUENCE_ACTION.stop, enrolment('stop'));
  sequenceAction(SEQUENCE_ACTION.enrol, (choice) => ({ kind: 'enrol', sequenceId: choice }));

  app.action<BlockAction>(SEQUENCE_ACTION.removeTag, async ({ ack, body, respond }) => {
    await ack();
    const p = pressed(body);
    if (!p.leadId || p.choice === null) return void (await tell(respond, t.actionResult.gone));
    const result = await changeLeadTags(deps, {
      actorId: body.user.id,
      leadId: p.leadId,
      change: { kind: 'remove', tag: p.choice },
      ...(actionKey(body) ? { idempotencyKey: actionKey(body) } : {}),
    });
    if (result.kind === 'done') deps.kick();
    const text =
      result.kind === 'done'
        ? p.ephemeral
          ? c.result.tagRemoved(p.choice)
          : null
        : result.kind === 'unchanged'
          ? c.result.tagGone
          : tagRefusal(result, t);
    if (text) await tell(respond, text);
  });

  app.action<BlockAction>(SEQUENCE_ACTION.addTag, async ({ ack, body, client, respond }) => {
    await ack();
    const p = pressed(body);
    const lead = p.leadId ? await deps.store.leads.get(p.leadId) : null;
    if (!lead || lead.erasedAt || !body.trigger_id) return void (await tell(respond, t.actionResult.gone));
    if (!canActOnLead(await deps.store.staff.get(body.user.id), lead))
      return void (await tell(respond, t.actionResult.forbidden));
    const view = tagModal(
      lead,
      deps.sequences.file.interests,
      await deps.store.tags.listForLead(lead.id),
      deps.blocks,
    );
    // Our builders produce plain JSON checked by the fake Slack's Block Kit rules in tests.
    await client.views.open({ trigger_id: body.trigger_id, view: view as unknown as types.ModalView });
  });
}

/** What the presser reads after a sequence button or select; null: the redrawn card says it. */
function sequenceResultText(
  action: SequenceAction,
  result: SequenceActionResult,
  t: Catalog,
  ephemeral: boolean,
): string | null {
  const r = t.sequenceCard.result;
  switch (result.kind) {
    case 'done': {
      if (!ephemeral) return null;
      const name = result.sequenceName;
      const done = { pause: r.paused, resume: r.resumed, stop: r.stopped, enrol: r.enrolled }[action.kind];
      return `:white_check_mark: ${done(name)}`;
    }
    case 'duplicate':
      return null;
    case 'no_such_lead':
      return `:warning: ${t.actionResult.gone}`;
    case 'forbidden':
      return `:warning: ${t.actionResult.forbidden}`;
    case 'no_such_enrolment':
      return `:warning: ${r.noSuchEnrolment}`;
    case 'unchanged':
      return `:information_source: ${r.unchanged[result.state]}`;
    case 'no_such_sequence':
      return `:warning: ${r.noSuchSequence}`;
    case 'cannot_receive':
      return `:warning: ${result.why === 'blocked' ? r.blocked : r.optedOut}`;
    case 'not_in_audience':
      return `:warning: ${r.notInAudience}`;
    case 'already_enrolled':
      return `:information_source: ${r.alreadyEnrolled}`;
  }
}

/** Why a tag change did not happen, or null when there is nothing to say. */
export function tagRefusal(result: TagChangeResult, t: Catalog): string | null {
  switch (result.kind) {
    case 'done':
    case 'duplicate':
      return null;
    case 'no_such_lead':
      return t.actionResult.gone;
    case 'forbidden':
      return t.actionResult.forbidden;
    case 'invalid':
      return t.sequenceCard.tagProblems[result.problem];
    case 'unchanged':
      return t.sequenceCard.result.tagsUnchanged;
  }
}

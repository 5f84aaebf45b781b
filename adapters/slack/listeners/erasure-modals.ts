import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { type ErasurePreview, eraseLead, previewErasure } from '../../../src/use-cases/erase-lead.ts';
import { ERASURE_CALLBACK, erasureConfirmModal, erasureResultView } from '../erasure-modal.ts';
import { viewKey } from '../idempotency-key.ts';
import type { ListenerDeps } from './listener-deps.ts';
import { readPrivateMetadata } from './private-metadata.ts';

const chooseMeta = z.object({ leadIds: z.array(z.uuid()).max(10) });
const confirmMeta = z.object({ leadId: z.uuid() });

/** The view an erasure preview leads to: the confirmation, or why there is nothing to confirm. */
export function previewView(preview: ErasurePreview, deps: ListenerDeps) {
  const { t } = deps;
  switch (preview.kind) {
    case 'preview':
      return erasureConfirmModal(preview.candidate, preview.inventory, deps.blocks);
    case 'forbidden':
      return erasureResultView(t.erasure.title, t.command.managersOnly, deps.blocks);
    case 'no_such_lead':
      return erasureResultView(t.erasure.title, t.erasure.gone, deps.blocks);
    case 'already_erased':
      return erasureResultView(t.erasure.title, t.erasure.alreadyErased, deps.blocks);
  }
}

/**
 * The two erasure modals. The lead ids come from private_metadata; the use cases check again
 * that the person submitting is a manager, so a forged payload erases nothing. The confirmation's
 * view id is the erasure's idempotency key: submitted again, it shows that the lead is erased.
 */
export function registerErasureModals(app: App, deps: ListenerDeps): void {
  const { t } = deps;

  app.view<ViewSubmitAction>(ERASURE_CALLBACK.choose, async ({ ack, body, view }) => {
    const meta = readPrivateMetadata(chooseMeta, view.private_metadata);
    const chosen = view.state.values.lead?.value?.selected_option?.value;
    if (!meta.success || !chosen || !meta.data.leadIds.includes(chosen)) {
      return void (await ack({ response_action: 'errors', errors: { lead: t.erasure.choose } }));
    }
    let preview: ErasurePreview;
    try {
      preview = await previewErasure(deps, { actorId: body.user.id, leadId: chosen });
    } catch (error) {
      // The choice stays on screen: trying again is one click.
      await ack({ response_action: 'errors', errors: { lead: t.somethingWentWrong } });
      throw error;
    }
    await ack({ response_action: 'update', view: previewView(preview, deps) });
  });

  app.view<ViewSubmitAction>(ERASURE_CALLBACK.confirm, async ({ ack, body, view }) => {
    const meta = readPrivateMetadata(confirmMeta, view.private_metadata);
    if (!meta.success) {
      return void (await ack({
        response_action: 'update',
        view: erasureResultView(t.erasure.title, t.erasure.gone, deps.blocks),
      }));
    }
    let result: Awaited<ReturnType<typeof eraseLead>>;
    try {
      result = await eraseLead(deps, {
        actorId: body.user.id,
        leadId: meta.data.leadId,
        idempotencyKey: viewKey(view),
      });
    } catch (error) {
      // Nothing was erased (one transaction); say so where the manager is looking.
      await ack({
        response_action: 'update',
        view: erasureResultView(t.erasure.title, t.somethingWentWrong, deps.blocks),
      });
      throw error;
    }
    const text =
      result.kind === 'erased'
        ? t.erasure.done(result.removed.messages, result.removed.touches)
        : result.kind === 'forbidden'
          ? t.command.managersOnly
          : result.kind === 'already_erased' || result.kind === 'duplicate'
            ? t.erasure.alreadyErased
            : t.erasure.gone;
    const heading =
      result.kind === 'erased' || result.kind === 'duplicate' ? t.erasure.doneTitle : t.erasure.title;
    await ack({ response_action: 'update', view: erasureResultView(heading, text, deps.blocks) });
    if (result.kind === 'erased') {
      deps.logger.info({ leadId: result.leadId, by: body.user.id }, 'lead erased on request');
      deps.kick();
    }
  });
}

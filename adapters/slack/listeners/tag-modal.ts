import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { changeLeadTags } from '../../../src/use-cases/sequences/change-lead-tags.ts';
import { viewKey } from '../idempotency-key.ts';
import { SEQUENCE_CALLBACK } from '../sequence-ids.ts';
import { TAG_INPUT } from '../tag-modal.ts';
import type { ListenerDeps } from './listener-deps.ts';
import { readPrivateMetadata } from './private-metadata.ts';
import { tagRefusal } from './sequence-actions.ts';

const metadata = z.object({ leadId: z.uuid() });

/**
 * タグを追加 submitted: the interest picked and the tag typed (either or both) are added through the
 * use case that re-checks who may act. A problem is answered under the text field, so the rep can
 * fix it without losing the modal; the view's id makes a double click count once.
 */
export function registerTagModal(app: App, deps: ListenerDeps): void {
  const { t } = deps;
  app.view<ViewSubmitAction>(SEQUENCE_CALLBACK.addTag, async ({ ack, body, view }) => {
    const refuse = (text: string) => ack({ response_action: 'errors', errors: { [TAG_INPUT.free]: text } });
    const meta = readPrivateMetadata(metadata, view.private_metadata);
    if (!meta.success) return void (await refuse(t.actionResult.gone));
    const values = view.state.values;
    const picked = values[TAG_INPUT.interest]?.value?.selected_option?.value ?? '';
    const typed = values[TAG_INPUT.free]?.value?.value ?? '';
    const tags = [picked, typed].filter((tag) => tag.trim() !== '');
    if (tags.length === 0) return void (await refuse(t.sequenceCard.tagProblems.empty));
    let result: Awaited<ReturnType<typeof changeLeadTags>>;
    try {
      result = await changeLeadTags(deps, {
        actorId: body.user.id,
        leadId: meta.data.leadId,
        change: { kind: 'add', tags },
        idempotencyKey: viewKey(view),
      });
    } catch (error) {
      // The modal stays open with what the rep typed, so trying again costs one click.
      await refuse(t.somethingWentWrong);
      throw error;
    }
    const refusal = tagRefusal(result, t);
    if (refusal) return void (await refuse(refusal));
    await ack();
    deps.kick();
  });
}

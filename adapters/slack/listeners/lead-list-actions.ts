import type { App, BlockAction, types } from '@slack/bolt';
import { z } from 'zod';
import { listLeads } from '../../../src/use-cases/list-leads.ts';
import { showLeadCard } from '../../../src/use-cases/show-lead-card.ts';
import { leadListAnswer } from '../commands/leads-command.ts';
import { leadCardMessage } from '../lead-blocks.ts';
import { LEAD_LIST_ACTION, LEAD_LIST_PAGE_SIZE, readPageValue } from '../lead-list-blocks.ts';
import type { ListenerDeps } from './listener-deps.ts';

const uuid = z.uuid();

/**
 * The buttons of `/tsuikyaku leads`. Each acks at once, then asks the use case again as the person
 * who pressed: a page is the list re-read with its filter, a card is shown only if they may see it.
 */
export function registerLeadListActions(app: App, deps: ListenerDeps): void {
  const { t } = deps;
  const pressedValue = (body: BlockAction) => (body.actions[0] as { value?: string } | undefined)?.value;

  app.action<BlockAction>(LEAD_LIST_ACTION.page, async ({ ack, body, respond }) => {
    await ack();
    const asked = readPageValue(pressedValue(body));
    if (!asked)
      return void (await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: t.actionResult.gone,
      }));
    const list = await listLeads(deps, {
      actorId: body.user.id,
      filter: asked.filter,
      page: asked.page,
      pageSize: LEAD_LIST_PAGE_SIZE,
    });
    const answer = leadListAnswer(list, deps);
    // A page replaces the one that was read; a refusal leaves it and says why.
    await respond(
      typeof answer === 'string'
        ? { response_type: 'ephemeral', replace_original: false, text: answer }
        : { response_type: 'ephemeral', replace_original: true, ...answer },
    );
  });

  app.action<BlockAction>(LEAD_LIST_ACTION.open, async ({ ack, body, respond }) => {
    await ack();
    const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const leadId = pressedValue(body);
    if (!leadId || !uuid.safeParse(leadId).success) return void (await tell(t.actionResult.gone));
    const shown = await showLeadCard(deps, { actorId: body.user.id, leadId });
    switch (shown.kind) {
      case 'not_staff':
        return void (await tell(t.command.notStaffSelf));
      case 'gone':
        return void (await tell(t.actionResult.gone));
      case 'forbidden':
        return void (await tell(t.actionResult.forbidden));
      case 'card': {
        const card = leadCardMessage(shown.card, deps.blocks);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: card.text,
          blocks: card.blocks as unknown as types.KnownBlock[],
        });
      }
    }
  });
}

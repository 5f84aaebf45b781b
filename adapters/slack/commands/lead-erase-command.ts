import type { types } from '@slack/bolt';
import { escapeSlackText } from '../../../src/domain/slack-text.ts';
import { findLeadsToErase, previewErasure } from '../../../src/use-cases/erase-lead.ts';
import { erasureChooseModal } from '../erasure-modal.ts';
import { previewView } from '../listeners/erasure-modals.ts';
import type { ListenerDeps } from '../listeners/listener-deps.ts';
import type { CommandContext } from './command-router.ts';

/** The words after `lead` that ask for an erasure rather than a search. */
export const ERASE_WORDS: readonly string[] = ['erase', '削除'];

/**
 * `/tsuikyaku lead erase <name or LINE user id>` (managers): opens the confirmation of what will
 * be removed, or a choice first when several people match. Nothing is erased until the modal is
 * confirmed (see listeners/erasure-modals.ts).
 */
export async function handleLeadErase(ctx: CommandContext<ListenerDeps>, query: string): Promise<void> {
  const { deps, userId, command, reply } = ctx;
  const { t } = deps;
  if (!query) return reply(t.erasure.usage(command));
  const found = await findLeadsToErase(deps, { actorId: userId, query });
  if (found.kind === 'forbidden') return reply(t.command.managersOnly);
  if (found.kind === 'none') return reply(t.erasure.none(escapeSlackText(query)));
  const [only] = found.candidates;
  const view =
    found.candidates.length === 1 && only && !found.more
      ? previewView(await previewErasure(deps, { actorId: userId, leadId: only.lead.id }), deps)
      : erasureChooseModal(found.candidates, found.more, deps.blocks);
  await ctx.openModal(view as unknown as types.View);
  await ctx.defer();
}

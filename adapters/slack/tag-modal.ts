import type { Lead } from '../../src/domain/lead.ts';
import { TAG_MAX_LENGTH } from '../../src/domain/sequences/lead-tag.ts';
import { escapeSlackText } from '../../src/domain/slack-text.ts';
import { type Block, type BlockContext, clip, leadName, mrkdwnSection, plainText } from './block-kit.ts';
import { SEQUENCE_CALLBACK } from './sequence-ids.ts';

/** Block ids of the tag modal's inputs. */
export const TAG_INPUT = { interest: 'interest', free: 'tag' } as const;

/** Modal titles and buttons are at most 24 characters. */
const short = (text: string) => plainText(clip(text, 24));

/**
 * タグを追加: one of the sequences file's interests (those the lead does not have yet) or a tag typed
 * freely, or both. The lead id travels in private_metadata and is checked again on submit.
 */
export function tagModal(
  lead: Lead,
  interests: readonly string[],
  current: readonly string[],
  ctx: BlockContext,
) {
  const m = ctx.t.sequenceCard.tagModal;
  const choices = interests.filter((interest) => !current.includes(interest));
  const blocks: Block[] = [mrkdwnSection(`*${escapeSlackText(leadName(lead, ctx.t))}*`)];
  if (choices.length > 0) {
    blocks.push({
      type: 'input',
      block_id: TAG_INPUT.interest,
      optional: true,
      label: plainText(m.interest),
      element: {
        type: 'static_select',
        action_id: 'value',
        placeholder: plainText(m.interestPlaceholder),
        options: choices.slice(0, 100).map((interest) => ({ text: plainText(interest), value: interest })),
      },
    });
  }
  blocks.push({
    type: 'input',
    block_id: TAG_INPUT.free,
    optional: true,
    label: plainText(m.free),
    hint: plainText(m.freeHint(TAG_MAX_LENGTH)),
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      max_length: TAG_MAX_LENGTH,
      placeholder: plainText(m.freePlaceholder),
    },
  });
  return {
    type: 'modal' as const,
    callback_id: SEQUENCE_CALLBACK.addTag,
    private_metadata: JSON.stringify({ leadId: lead.id }),
    title: short(m.title),
    submit: short(m.submit),
    close: short(ctx.t.modal.close),
    blocks,
  };
}

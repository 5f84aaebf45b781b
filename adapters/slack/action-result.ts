import { presetSegment } from '../../src/domain/follow-up/purchase-timing.ts';
import type { ChangeResult, LeadChange } from '../../src/use-cases/change-lead.ts';
import { type Block, type BlockContext, contextLine, shownDay } from './block-kit.ts';
import { amountText } from './follow-up-blocks.ts';
import { DIGEST_HEADER_ID, digestLineId } from './follow-up-ids.ts';
import { closeReasonText } from './lead-blocks.ts';

/** Where a button was pressed: the message holding it (a digest or a lead card). */
export interface ActionOrigin {
  channelId: string;
  ts: string;
  ephemeral: boolean;
}

const resultId = (leadId: string) => `result:${leadId}`;

export function isDigest(blocks: readonly Block[]): boolean {
  return blocks.some((block) => block.block_id === DIGEST_HEADER_ID);
}

/**
 * The message with the outcome of a press shown where the rep pressed: on a digest, the lead's
 * line says what happened instead of why it was listed; elsewhere a line under the message.
 */
export function withActionResult(blocks: readonly Block[], leadId: string, text: string): Block[] {
  const line = blocks.findIndex((block) => block.block_id === digestLineId(leadId));
  if (line !== -1) {
    const section = blocks[line] as { text?: { type: string; text: string } };
    const head = (section.text?.text ?? '').split('\n')[0] ?? '';
    return blocks.map((block, index) =>
      index === line ? { ...block, text: { type: 'mrkdwn', text: `${head}\n${text}` } } : block,
    );
  }
  const result = { ...contextLine(text), block_id: resultId(leadId) };
  const existing = blocks.findIndex((block) => block.block_id === resultId(leadId));
  if (existing !== -1) return blocks.map((block, index) => (index === existing ? result : block));
  return [...blocks, result];
}

/** What the rep reads after a change went through: what was recorded, and where it stands now. */
export function changeResultText(
  change: LeadChange,
  result: Extract<ChangeResult, { kind: 'done' }>,
  ctx: BlockContext,
): string {
  const { t } = ctx;
  const r = t.actionResult.recorded;
  const f = t.followUp;
  switch (change.kind) {
    case 'touch': {
      const unanswered = result.lead.unansweredAttempts;
      const detail = unanswered > 0 ? r.attempt(unanswered) : f.outcomes[change.outcome];
      return `:white_check_mark: ${r.touch(f.channels[change.channel], detail)}`;
    }
    case 'timing':
      return `:white_check_mark: ${r.timing(f.segments[presetSegment(change.preset)])}`;
    case 'amount':
      return `:white_check_mark: ${result.lead.amountYen === null ? r.amountCleared : r.amount(amountText(result.lead, ctx))}`;
    case 'snooze':
      return `:white_check_mark: ${r.snooze(result.lead.snoozedUntil ? shownDay(result.lead.snoozedUntil, ctx) : '')}`;
    case 'reassign':
      return `:white_check_mark: ${r.reassign(`<@${change.ownerId}>`)}`;
    case 'won':
      return `:white_check_mark: ${r.won}`;
    case 'lost':
      return `:white_check_mark: ${r.lost(closeReasonText(change.reason, change.note, t))}`;
  }
}

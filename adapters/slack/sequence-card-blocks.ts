import type { Lead } from '../../src/domain/lead.ts';
import { escapeSlackText } from '../../src/domain/slack-text.ts';
import type { LeadSequencesView, LiveEnrolmentView } from '../../src/ports.ts';
import {
  actions,
  type Block,
  type BlockContext,
  button,
  clip,
  mrkdwnSection,
  plainText,
  shownMoment,
} from './block-kit.ts';
import { joinValue } from './follow-up-ids.ts';
import { enrolmentBlockId, SEQUENCE_ACTION, sequenceControlsBlockId } from './sequence-ids.ts';

/** Slack caps a select at 100 options and an option's text at 75 characters. */
const MAX_OPTIONS = 100;
const OPTION_TEXT_MAX = 75;
/** A confirmation dialog's title is at most 100 characters, its text 300. */
const CONFIRM_TITLE_MAX = 100;
const CONFIRM_TEXT_MAX = 300;

/**
 * The lead card's step sequences and tags: each live sequence with its state and when its next
 * step goes out, then the tags. With `withActions` (a card whose lead can be worked), each live
 * sequence has 一時停止 or 再開 and 停止 (confirmed in a dialog), and a last actions block starts a
 * manual sequence, adds a tag (a modal) or removes one.
 */
export function sequenceCardBlocks(
  lead: Lead,
  view: LeadSequencesView,
  ctx: BlockContext,
  withActions: boolean,
): Block[] {
  const c = ctx.t.sequenceCard;
  const heading = `*${c.title}*`;
  const optedOut = lead.optedOutAt ? [`:no_bell: ${c.optedOut}`] : [];
  // A card without buttons (a claimable or closed lead) says nothing when there is nothing to say.
  if (!withActions && view.live.length === 0 && view.tags.length === 0 && !lead.optedOutAt) return [];
  const blocks: Block[] = [];
  if (view.live.length === 0) {
    blocks.push(mrkdwnSection([heading, ...(optedOut.length ? optedOut : [c.none])].join('\n')));
  }
  view.live.forEach((live, i) => {
    const lines = [...(i === 0 ? [heading, ...optedOut] : []), ...liveLines(live, ctx)];
    blocks.push(mrkdwnSection(clip(lines.join('\n'), 3000)));
    if (withActions) blocks.push(enrolmentActions(lead, live, ctx));
  });
  const tags = view.tags.map(escapeSlackText).join(c.tagSeparator) || c.none;
  blocks.push(mrkdwnSection(clip(`*${c.tags}*\n${tags}`, 3000)));
  if (withActions) blocks.push(controls(lead, view, ctx));
  return blocks;
}

function liveLines(live: LiveEnrolmentView, ctx: BlockContext): string[] {
  const c = ctx.t.sequenceCard;
  const { enrolment } = live;
  const state = enrolment.state === 'paused' ? c.states.paused : c.states.active;
  const icon = enrolment.state === 'paused' ? ':double_vertical_bar:' : ':arrow_forward:';
  const head = `${icon} ${c.line(escapeSlackText(live.name), state)}`;
  if (live.steps === null) return [head, c.notInFile];
  if (enrolment.state === 'paused') {
    return [head, enrolment.resumeAt ? c.autoResume(shownMoment(enrolment.resumeAt, ctx)) : c.pausedByHand];
  }
  if (!live.nextSendAt) return [head];
  const step = Math.min(enrolment.nextStep + 1, live.steps);
  return [head, c.nextStep(step, live.steps, shownMoment(live.nextSendAt, ctx))];
}

function enrolmentActions(lead: Lead, live: LiveEnrolmentView, ctx: BlockContext): Block {
  const c = ctx.t.sequenceCard;
  const value = joinValue(lead.id, live.enrolment.id);
  const toggle =
    live.enrolment.state === 'paused'
      ? button(SEQUENCE_ACTION.resume, c.buttons.resume, value, 'primary')
      : button(SEQUENCE_ACTION.pause, c.buttons.pause, value);
  const stop = {
    ...button(SEQUENCE_ACTION.stop, c.buttons.stop, value, 'danger'),
    confirm: {
      title: plainText(clip(c.stopConfirm.title, CONFIRM_TITLE_MAX)),
      text: plainText(clip(c.stopConfirm.text(live.name), CONFIRM_TEXT_MAX)),
      confirm: plainText(c.stopConfirm.confirm),
      deny: plainText(c.stopConfirm.deny),
      style: 'danger',
    },
  };
  return actions(enrolmentBlockId(live.enrolment.id), [toggle, stop]);
}

function controls(lead: Lead, view: LeadSequencesView, ctx: BlockContext): Block {
  const b = ctx.t.sequenceCard.buttons;
  const option = (text: string, choice: string) => ({
    text: plainText(clip(text, OPTION_TEXT_MAX)),
    value: joinValue(lead.id, choice),
  });
  const elements: Block[] = [];
  if (view.manual.length > 0) {
    elements.push({
      type: 'static_select',
      action_id: SEQUENCE_ACTION.enrol,
      placeholder: plainText(b.enrol),
      options: view.manual.slice(0, MAX_OPTIONS).map((s) => option(s.name, s.id)),
    });
  }
  elements.push(button(SEQUENCE_ACTION.addTag, b.addTag, lead.id));
  if (view.tags.length > 0) {
    elements.push({
      type: 'static_select',
      action_id: SEQUENCE_ACTION.removeTag,
      placeholder: plainText(b.removeTag),
      options: view.tags.slice(0, MAX_OPTIONS).map((tag) => option(tag, tag)),
    });
  }
  return actions(sequenceControlsBlockId(lead.id), elements);
}

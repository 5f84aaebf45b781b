import { monthText } from '../../src/domain/date-text.ts';
import type { LineMessage } from '../../src/domain/sequences/line-message-schema.ts';
import type { Sequence, Step } from '../../src/domain/sequences/sequence.ts';
import { escapeSlackText } from '../../src/domain/slack-text.ts';
import type { SequencePreview } from '../../src/use-cases/sequences/preview-sequence.ts';
import type { SequenceOverview } from '../../src/use-cases/sequences/sequence-overview.ts';
import {
  type Block,
  type BlockContext,
  clip,
  contextLine,
  header,
  leadName,
  mrkdwnSection,
  shownMoment,
} from './block-kit.ts';

/** Slack shows at most 50 blocks a message; a section's text is at most 3000 characters. */
const MAX_BLOCKS = 50;
const SECTION_MAX = 3000;
/** A preview shows the start of a long message; the whole is in the sequences file. */
const MESSAGE_PREVIEW_MAX = 600;

type Overview = Extract<SequenceOverview, { kind: 'overview' }>;
type Preview = Extract<SequencePreview, { kind: 'preview' }>;

/** `/tsuikyaku sequences`: one section per sequence with its counts. */
export function sequenceOverviewMessage(overview: Overview, ctx: BlockContext) {
  const s = ctx.t.sequencesCommand;
  const title = s.title;
  if (overview.rows.length === 0) return { text: s.empty, blocks: [header(title), mrkdwnSection(s.empty)] };
  const month = monthText(overview.month, { locale: ctx.locale, timezone: ctx.timezone, now: ctx.now() });
  // Header and hint, and a line saying how many did not fit.
  const room = MAX_BLOCKS - 3;
  const shown = overview.rows.slice(0, room);
  const blocks: Block[] = [header(title)];
  for (const { sequence, counts } of shown) {
    const lines = [
      s.heading(escapeSlackText(sequence.name), escapeSlackText(sequence.id), s.triggers[sequence.trigger]),
      s.counts(counts.enrolled, counts.active, counts.paused, counts.completed, counts.stopped),
      s.sent(month, counts.sentThisMonth),
    ];
    blocks.push(mrkdwnSection(clip(lines.join('\n'), SECTION_MAX)));
  }
  if (overview.rows.length > shown.length)
    blocks.push(contextLine(s.more(overview.rows.length - shown.length)));
  blocks.push(contextLine(s.hint(ctx.command)));
  return { text: title, blocks };
}

/** `/tsuikyaku sequences <id>`: the sequence's audience, then each step's timing and messages. */
export function sequencePreviewMessage(preview: Preview, sampleName: string, ctx: BlockContext) {
  const s = ctx.t.sequencesCommand;
  const { sequence } = preview;
  const title = s.previewTitle(sequence.name);
  const about = [
    s.heading(escapeSlackText(sequence.name), escapeSlackText(sequence.id), s.triggers[sequence.trigger]),
    ...audienceLines(sequence, ctx),
  ];
  const blocks: Block[] = [
    header(clip(title, 150)),
    mrkdwnSection(clip(about.join('\n'), SECTION_MAX)),
    contextLine(s.previewNote(escapeSlackText(sampleName))),
  ];
  // Room is kept for the "more steps" line and the list of who is in the sequence.
  const room = MAX_BLOCKS - blocks.length - 2;
  const steps = preview.steps.slice(0, room);
  steps.forEach(({ step, messages }, i) => {
    const head = `*${s.step(i + 1, preview.steps.length)}* ${timingText(step, i, sequence, ctx)}`;
    const tags = step.tags.length
      ? [`_${s.stepTags(escapeSlackText(step.tags.join(ctx.t.sequenceCard.tagSeparator)))}_`]
      : [];
    const body = messages.map((message) => quote(messageText(message, ctx)));
    blocks.push(mrkdwnSection(clip([head, ...tags, ...body].join('\n'), SECTION_MAX)));
  });
  if (preview.steps.length > steps.length)
    blocks.push(contextLine(s.moreSteps(preview.steps.length - steps.length)));
  blocks.push(mrkdwnSection(clip(membersText(preview, ctx), SECTION_MAX)));
  return { text: title, blocks };
}

/** Who the sequence sends to now: each person's owner, state and next step, the soonest first. */
function membersText(preview: Preview, ctx: BlockContext): string {
  const s = ctx.t.sequencesCommand;
  if (preview.total === 0) return `*${s.membersTitle(0)}*\n${s.noMembers}`;
  const lines = preview.members.map(({ enrolment, lead }) => {
    const owner = lead.ownerId ? `<@${lead.ownerId}>` : ctx.t.card.teamChannel;
    const step = s.step(enrolment.nextStep + 1, preview.sequence.steps.length);
    const state =
      enrolment.state === 'paused' || !enrolment.sendAt
        ? s.memberPaused(step)
        : s.memberNext(step, shownMoment(enrolment.sendAt, ctx));
    return `• ${escapeSlackText(leadName(lead, ctx.t))}（${owner}）${state}`;
  });
  const more = preview.total - preview.members.length;
  return [`*${s.membersTitle(preview.total)}*`, ...lines, ...(more > 0 ? [s.moreMembers(more)] : [])].join(
    '\n',
  );
}

function audienceLines(sequence: Sequence, ctx: BlockContext): string[] {
  const s = ctx.t.sequencesCommand;
  const list = (items: string[]) => escapeSlackText(items.join(ctx.t.sequenceCard.tagSeparator));
  const parts = [
    ...(sequence.kind ? [s.audienceKinds[sequence.kind]] : []),
    ...(sequence.segments.length
      ? [s.audienceSegments(list(sequence.segments.map((seg) => ctx.t.followUp.segments[seg])))]
      : []),
    ...(sequence.tags.length && sequence.trigger !== 'tag' ? [s.audienceTags(list(sequence.tags))] : []),
  ];
  return [
    ...(parts.length ? [s.audience(parts.join(' ・ '))] : []),
    ...(sequence.trigger === 'tag' ? [s.audienceTags(list(sequence.tags))] : []),
    ...(sequence.startAt ? [s.startAt(sequence.startAt.replace('T', ' '))] : []),
  ];
}

/** When a step goes out: its delay from the start (the handover date) or the previous step, and its time of day. */
function timingText(step: Step, index: number, sequence: Sequence, ctx: BlockContext): string {
  const s = ctx.t.sequencesCommand;
  const minutes = step.afterMinutes;
  const delay =
    minutes % (24 * 60) === 0
      ? s.days(minutes / (24 * 60))
      : minutes % 60 === 0
        ? s.hours(minutes / 60)
        : s.minutes(minutes);
  const from = index > 0 ? s.fromPrevious : sequence.trigger === 'handover' ? s.fromHandover : s.fromStart;
  const timing = minutes === 0 ? (index > 0 ? s.atPrevious : s.atStart) : from(delay);
  if (!step.at) return timing;
  const time = `${step.at.hour}:${String(step.at.minute).padStart(2, '0')}`;
  return s.atTime(timing, time);
}

/** A LINE message as a rep previews it: text as text, other kinds summarised. */
function messageText(message: LineMessage, ctx: BlockContext): string {
  const m = ctx.t.sequencesCommand.message;
  switch (message.type) {
    case 'text':
      return escapeSlackText(clip(message.text, MESSAGE_PREVIEW_MAX));
    case 'image':
      return `_(${m.image})_`;
    case 'sticker':
      return `_(${m.sticker})_`;
    case 'template':
      return `_(${escapeSlackText(m.template(message.altText))})_`;
    case 'flex':
      return `_(${escapeSlackText(m.flex(message.altText))})_`;
  }
}

const quote = (text: string) =>
  text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

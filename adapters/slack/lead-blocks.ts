import { type LostReason, parseCloseReason } from '../../src/domain/follow-up/close-reason.ts';
import type { InboundContent } from '../../src/domain/inbound-content.ts';
import { isWorkable, type Lead } from '../../src/domain/lead.ts';
import { escapeSlackText } from '../../src/domain/slack-text.ts';
import type { Catalog } from '../../src/messages.ts';
import type { LeadCardView, LeadNotice, StoredMessage } from '../../src/ports.ts';
import {
  type Block,
  type BlockContext,
  clip,
  contextLine,
  header,
  leadName,
  mrkdwn,
  mrkdwnSection,
  shownDay,
  shownMoment,
} from './block-kit.ts';
import { followUpFields, leadActions } from './follow-up-blocks.ts';
import { isSequenceNotice, sequenceNoticeText } from './sequence-blocks.ts';
import { sequenceCardBlocks } from './sequence-card-blocks.ts';

export const CLAIM_ACTION_ID = 'lead_claim';

/** Block Kit section text is limited to 3000 characters. https://docs.slack.dev/reference/block-kit/blocks */
const SECTION_MAX = 3000;

export function leadCardMessage(view: LeadCardView, ctx: BlockContext) {
  const { t } = ctx;
  const { lead, owner } = view;
  // An erased lead's card names nobody and offers nothing to do.
  if (lead.erasedAt) {
    return {
      text: t.erasure.cardTitle,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: t.erasure.cardTitle, emoji: true } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: t.erasure.cardNote }] },
      ],
    };
  }
  const name = leadName(lead, t);
  const moved = view.movedTo !== undefined;
  const movedTo = view.movedTo ? `<@${view.movedTo}>` : t.card.teamChannel;
  const ownerText = moved ? movedTo : owner ? `<@${owner.slackUserId}>` : t.card.unassigned;
  const fields = [
    `*${t.card.source}*\n${t.card.sources[lead.source]}`,
    `*${t.card.status}*\n${statusText(lead, t)}`,
    `*${t.card.owner}*\n${ownerText}`,
    `*${t.card.since}*\n${shownMoment(lead.createdAt, ctx)}`,
  ].map(mrkdwn);
  const section: Block = { type: 'section', fields };
  if (lead.pictureUrl?.startsWith('https://')) {
    section.accessory = { type: 'image', image_url: lead.pictureUrl, alt_text: clip(name, 100) };
  }
  // A thread the lead has left keeps a card that says where it went, and nothing to press.
  if (moved) {
    return {
      text: t.card.movedTitle(escapeSlackText(name)),
      blocks: [header(clip(t.card.title(name), 150)), section, contextLine(t.card.moved(movedTo))],
    };
  }
  const blocks: Block[] = [
    header(clip(t.card.title(name), 150)),
    section,
    contextLine(view.claimable ? t.card.teamHint : t.card.replyHint),
  ];
  if (!view.claimable) {
    blocks.splice(2, 0, {
      type: 'section',
      fields: followUpFields(lead, view.followUp, ctx),
    });
    if (isWorkable(lead)) {
      blocks.push(leadActions(lead, ctx, view.followUp));
    }
  }
  // Step sequences and tags: shown on every live card, their buttons only beside the follow-up ones.
  blocks.push(...sequenceCardBlocks(lead, view.sequences, ctx, !view.claimable && isWorkable(lead)));
  if (view.claimable) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: CLAIM_ACTION_ID,
          style: 'primary',
          text: { type: 'plain_text', text: t.card.claim },
          value: lead.id,
        },
      ],
    });
  }
  const title = view.arrival === 'handed_over' ? t.card.handedOver : t.card.newLead;
  return { text: title(escapeSlackText(name)), blocks };
}

/**
 * One status a rep understands: closed deals by their outcome (a lost one with its reason), then
 * a blocked account, then the follow-up stage.
 */
export function statusText(lead: Lead, t: Catalog): string {
  const stages = t.followUp.stages;
  if (lead.stage === 'won') return stages.won;
  if (lead.stage === 'lost') {
    const { reason, note } = parseCloseReason(lead.closeReason);
    return reason || note ? t.followUp.lostStatus(closeReasonText(reason, note, t)) : stages.lost;
  }
  if (lead.status === 'blocked') return t.card.statuses.blocked;
  return stages[lead.stage];
}

/**
 * Slack accepts 40,000 characters of message text, and escaping can grow text fivefold (`&` is
 * `&amp;`): parts of 4,000 characters stay well inside that whatever they hold. LINE caps a text
 * at 5,000 characters, so a real message is one or two parts; past the cap only a forged webhook
 * could bring more, and it is cut with a note saying how much was left out.
 * https://api.slack.com/methods/chat.postMessage#truncating
 */
const PART_CHARS = 4000;
const MAX_PARTS = 10;

/** A lead's message as one or more Slack posts, in order. */
export function inboundTexts(content: InboundContent, ctx: BlockContext): string[] {
  if (content.kind !== 'text') return [inboundText(content, ctx)];
  const chars = Array.from(content.text);
  if (chars.length <= PART_CHARS) return [inboundText(content, ctx)];
  const parts: string[] = [];
  for (let start = 0; start < chars.length && parts.length < MAX_PARTS; start += PART_CHARS) {
    parts.push(escapeSlackText(chars.slice(start, start + PART_CHARS).join('')));
  }
  const left = chars.length - PART_CHARS * MAX_PARTS;
  if (left > 0) parts[parts.length - 1] += `\n_(${ctx.t.inbound.cut(left)})_`;
  return parts;
}

/** What a lead's LINE message looks like in Slack; lead text is always escaped. */
export function inboundText(content: InboundContent, ctx: BlockContext): string {
  const { t } = ctx;
  switch (content.kind) {
    case 'text':
      return escapeSlackText(content.text) || ' ';
    case 'sticker':
      return `_(${t.inbound.sticker}${content.keywords.length ? `: ${escapeSlackText(content.keywords.slice(0, 3).join(', '))}` : ''})_`;
    case 'image':
      return `_(${t.inbound.image})_`;
    case 'video':
      return `_(${t.inbound.video}${content.durationMs ? ` ${t.inbound.seconds(Math.round(content.durationMs / 1000))}` : ''})_`;
    case 'audio':
      return `_(${t.inbound.audio}${content.durationMs ? ` ${t.inbound.seconds(Math.round(content.durationMs / 1000))}` : ''})_`;
    case 'file': {
      const size = content.fileSize ? ` (${formatBytes(content.fileSize)})` : '';
      return `_(${escapeSlackText(t.inbound.file(content.fileName))}${size})_`;
    }
    case 'location': {
      const place = [content.title, content.address].filter(Boolean).map((s) => escapeSlackText(s as string));
      const map = `<https://www.google.com/maps?q=${content.latitude},${content.longitude}|${t.inbound.openMap}>`;
      return `_(${t.inbound.location})_ ${place.join(' ')} ${map}`;
    }
    case 'unsupported':
      return `_(${escapeSlackText(t.inbound.unsupported(content.type))})_`;
  }
}

export function historyMessage(messages: StoredMessage[], lead: Lead, ctx: BlockContext) {
  const { t } = ctx;
  const now = ctx.now();
  const lines = messages.map((message) => {
    const who =
      message.direction === 'inbound' ? escapeSlackText(leadName(lead, t)) : `<@${message.authorId ?? ''}>`;
    const body =
      message.direction === 'inbound'
        ? inboundText(message.content, ctx)
        : escapeSlackText(message.text ?? '');
    return `${shownMoment(message.createdAt, ctx, now)} ${who}: ${clip(body, 500)}`;
  });
  const title = t.history(messages.length);
  return {
    text: title,
    blocks: [contextLine(title), mrkdwnSection(clip(lines.join('\n'), SECTION_MAX))],
  };
}

export function noticeText(notice: LeadNotice, ctx: BlockContext): string {
  const { t } = ctx;
  const who = (id: string | null) => (id ? `<@${id}>` : t.nobody);
  if (isSequenceNotice(notice)) return sequenceNoticeText(notice, ctx);
  switch (notice.key) {
    case 'lead_reassigned': {
      const text =
        notice.from && notice.to
          ? t.notice.lead_reassigned(who(notice.from), who(notice.to))
          : notice.to
            ? t.notice.lead_owner_set(who(notice.to))
            : t.notice.lead_owner_cleared(who(notice.from));
      return `:arrows_counterclockwise: ${text}`;
    }
    case 'reply_forbidden':
      return `:no_entry: ${t.notice.reply_forbidden}`;
    case 'push_failed':
      return `:x: ${t.notice.push_failed(escapeSlackText(notice.error))}`;
    case 'lead_blocked':
      return `:no_entry_sign: ${t.notice.lead_blocked}`;
    case 'lead_unblocked':
      return `:wave: ${t.notice.lead_unblocked}`;
    case 'moved_to_nurture':
      return `:seedling: ${t.notice.moved_to_nurture(notice.attempts)}`;
    case 'reply_moved':
      return `:arrow_right: ${t.notice.reply_moved(notice.to ? `<@${notice.to}>` : t.card.teamChannel)}`;
    case 'lead_won':
      return `:tada: ${
        notice.handoverDate
          ? t.notice.lead_won_handover(who(notice.by), shownDay(notice.handoverDate, ctx))
          : t.notice.lead_won(who(notice.by))
      }`;
    case 'lead_lost':
      return `:white_flag: ${t.notice.lead_lost(who(notice.by), closeReasonText(notice.reason, notice.note, t))}`;
    case 'lead_erased':
      return `:wastebasket: ${t.notice.lead_erased(who(notice.by))}`;
    case 'back_from_nurture':
      return `:sparkles: ${t.notice.back_from_nurture}`;
    case 'segment_nearer': {
      const label = (segment: string) =>
        t.followUp.segments[segment as keyof typeof t.followUp.segments] ?? segment;
      return `:hourglass_flowing_sand: ${t.notice.segment_nearer(label(notice.from), label(notice.to))}`;
    }
    case 'lead_taken_over':
      return `:raising_hand: ${t.notice.lead_taken_over(who(notice.by))}`;
    case 'took_over_lead':
      return `:raising_hand: ${t.notice.took_over_lead(who(notice.from))}`;
    case 'alarm_thread_hint':
      return `:information_source: ${notice.takenBy ? t.notice.alarm_thread_taken(who(notice.takenBy)) : t.notice.alarm_thread_hint}`;
    default:
      return `:warning: ${t.notice[notice.key]}`;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A lost reason as a rep reads it: the reason picked, and the note in brackets. */
export function closeReasonText(reason: LostReason | null, note: string | null, t: Catalog): string {
  const label = reason ? t.modal.lostReasons[reason] : null;
  const escaped = note ? escapeSlackText(note) : null;
  if (label && escaped) return t.followUp.reasonWithNote(label, escaped);
  return label ?? escaped ?? t.followUp.amountUnknown;
}

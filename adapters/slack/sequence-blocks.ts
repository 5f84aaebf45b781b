import { escapeSlackText } from '../../src/domain/slack-text.ts';
import type { LeadNotice, QuotaNotice, SequenceNotice } from '../../src/ports.ts';
import type { BlockContext } from './block-kit.ts';

const SEQUENCE_NOTICE_KEYS = new Set<string>([
  'step_sent',
  'sequence_paused_by_reply',
  'sequence_resumed',
  'sequence_paused',
  'sequence_stopped',
  'sequence_enrolled',
  'tags_changed',
  'lead_opted_out',
  'lead_opted_in',
  'questionnaire_timing',
  'questionnaire_interest',
]);

export function isSequenceNotice(notice: LeadNotice): notice is SequenceNotice {
  return SEQUENCE_NOTICE_KEYS.has(notice.key);
}

/** A lead thread's line about its step sequences. */
export function sequenceNoticeText(notice: SequenceNotice, ctx: BlockContext): string {
  const { t } = ctx;
  const n = t.notice;
  switch (notice.key) {
    case 'step_sent':
      // One collapsed context-like line per step: the messages themselves are in the LINE chat.
      return `:outbox_tray: ${n.step_sent(notice.sequenceName, notice.step, notice.steps)}`;
    case 'sequence_paused_by_reply':
      return `:double_vertical_bar: ${n.sequence_paused_by_reply(notice.sequenceName)}`;
    case 'sequence_resumed':
      return notice.by
        ? `:arrow_forward: ${n.sequence_resumed(notice.sequenceName, `<@${notice.by}>`)}`
        : `:arrow_forward: ${n.sequence_resumed_auto(notice.sequenceName, notice.days ?? 14)}`;
    case 'sequence_paused':
      return `:double_vertical_bar: ${n.sequence_paused(notice.sequenceName, `<@${notice.by}>`)}`;
    case 'sequence_stopped':
      return `:black_square_for_stop: ${n.sequence_stopped(notice.sequenceName, `<@${notice.by}>`)}`;
    case 'sequence_enrolled':
      return `:arrow_forward: ${n.sequence_enrolled(notice.sequenceName, `<@${notice.by}>`)}`;
    case 'tags_changed': {
      const by = `<@${notice.by}>`;
      const list = (tags: string[]) => tags.map(escapeSlackText).join(ctx.locale === 'en' ? ', ' : '、');
      const lines = [
        ...(notice.added.length > 0 ? [n.tags_added(list(notice.added), by)] : []),
        ...(notice.removed.length > 0 ? [n.tags_removed(list(notice.removed), by)] : []),
      ];
      return `:label: ${lines.join('\n')}`;
    }
    case 'lead_opted_out':
      return `:no_bell: ${n.lead_opted_out}`;
    case 'lead_opted_in':
      return `:bell: ${n.lead_opted_in}`;
    case 'questionnaire_timing':
      return `:memo: ${n.questionnaire_timing(t.sequenceLead.timingChoices[notice.segment])}`;
    case 'questionnaire_interest':
      return `:memo: ${n.questionnaire_interest(notice.interest)}`;
  }
}

/** A manager's DM about LINE's monthly message quota. */
export function quotaNoticeText(notice: QuotaNotice, ctx: BlockContext): string {
  const { quota } = ctx.t;
  const count = (n: number) => n.toLocaleString(ctx.locale === 'en' ? 'en-US' : 'ja-JP');
  switch (notice.key) {
    case 'quota_warning':
      return notice.percent >= 100
        ? quota.exhausted(count(notice.used), count(notice.limit), notice.month)
        : quota.warning(notice.percent, count(notice.used), count(notice.limit), notice.month);
    case 'quota_held':
      return quota.held(notice.month);
    case 'quota_resumed':
      return quota.resumed(notice.month);
  }
}

import { dayText, momentText } from '../../src/domain/date-text.ts';
import type { Lead } from '../../src/domain/lead.ts';
import type { Catalog } from '../../src/messages.ts';

/** A Block Kit block or element as Slack receives it. https://docs.slack.dev/reference/block-kit/blocks */
export type Block = Record<string, unknown>;

/** What every Slack surface is written with: the reader's words and clock. */
export interface BlockContext {
  t: Catalog;
  timezone: string;
  locale: 'ja' | 'en';
  /** The service clock: a date in this year is written without its year. */
  now: () => Date;
  /** The slash command as configured, for hints that name a command. */
  command: string;
}

/** A calendar day in the one style people read (12月1日(火), Tue, Dec 1), in the business time zone. */
export const shownDay = (day: string | Date, ctx: BlockContext, now = ctx.now()) =>
  dayText(day, { locale: ctx.locale, timezone: ctx.timezone, now });

/** A period of days: 11月25日(水), or 11月23日(月)〜11月29日(日) (Mon, Nov 23 to Sun, Nov 29). */
export function shownPeriod(
  period: { firstDay: string; lastDay: string },
  ctx: BlockContext,
  now = ctx.now(),
): string {
  const first = shownDay(period.firstDay, ctx, now);
  return period.firstDay === period.lastDay
    ? first
    : ctx.t.periodRange(first, shownDay(period.lastDay, ctx, now));
}

/** A moment to the minute (12月1日(火) 9:05, Tue, Dec 1, 9:05), in the business time zone. */
export const shownMoment = (at: Date, ctx: BlockContext, now = ctx.now()) =>
  momentText(at, { locale: ctx.locale, timezone: ctx.timezone, now });

export function leadName(lead: Pick<Lead, 'displayName'>, t: Catalog): string {
  return lead.displayName?.trim() || t.leadFallbackName;
}

export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export const plainText = (text: string) => ({ type: 'plain_text', text, emoji: true });

export const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

export const header = (text: string): Block => ({ type: 'header', text: plainText(text) });

export const mrkdwnSection = (text: string): Block => ({ type: 'section', text: mrkdwn(text) });

/** A context block of one line of mrkdwn. */
export const contextLine = (text: string): Block => ({ type: 'context', elements: [mrkdwn(text)] });

export function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Block {
  return { type: 'button', action_id: actionId, ...(style ? { style } : {}), text: plainText(text), value };
}

/** An actions block; Slack sends `blockId` back with every action from it. */
export const actions = (blockId: string, elements: Block[]): Block => ({
  type: 'actions',
  block_id: blockId,
  elements,
});

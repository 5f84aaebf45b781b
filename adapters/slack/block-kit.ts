import type { Lead } from '../../src/domain/lead.ts';
import type { Catalog } from '../../src/messages.ts';

/** A Block Kit block or element as Slack receives it. https://docs.slack.dev/reference/block-kit/blocks */
export type Block = Record<string, unknown>;

/** What every Slack surface is written with: the reader's words and clock. */
export interface BlockContext {
  t: Catalog;
  timezone: string;
  locale: 'ja' | 'en';
  /** The slash command as configured, for hints that name a command. */
  command: string;
}

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

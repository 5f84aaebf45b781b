import { z } from 'zod';
import { SEGMENT_ORDER } from '../../src/domain/follow-up/purchase-timing.ts';
import { isAwaitingReply } from '../../src/domain/lead.ts';
import type { LeadListFilter } from '../../src/domain/lead-list.ts';
import { escapeSlackText } from '../../src/domain/slack-text.ts';
import type { LeadListPage } from '../../src/use-cases/list-leads.ts';
import {
  actions,
  type Block,
  type BlockContext,
  button,
  clip,
  contextLine,
  header,
  leadName,
  mrkdwnSection,
} from './block-kit.ts';
import { amountText, lastTouchText } from './follow-up-blocks.ts';

export const LEAD_LIST_ACTION = { open: 'lead_list_open', page: 'lead_list_page' } as const;

/** Leads per page: one section each, well within Slack's 50 blocks a message. */
export const LEAD_LIST_PAGE_SIZE = 10;

/** A page button carries the filter and the page; the list is read again, access included, when pressed. */
const pageValue = z.object({
  f: z.object({
    ownerId: z.string().max(40).nullable(),
    segment: z.enum(SEGMENT_ORDER as [string, ...string[]]).nullable(),
    stage: z.enum(['open', 'nurture', 'won', 'lost']).nullable(),
    awaiting: z.boolean(),
    neglected: z.boolean(),
  }),
  p: z.number().int().min(0).max(100_000),
});

export function readPageValue(value: string | undefined): { filter: LeadListFilter; page: number } | null {
  let json: unknown = null;
  try {
    json = JSON.parse(value ?? '');
  } catch {
    return null;
  }
  const parsed = pageValue.safeParse(json);
  return parsed.success ? { filter: parsed.data.f as LeadListFilter, page: parsed.data.p } : null;
}

const writePageValue = (filter: LeadListFilter, page: number) => JSON.stringify({ f: filter, p: page });

/** One page of `/tsuikyaku leads`: what was asked for, the leads with a button to open each card, and paging. */
export function leadListMessage(list: LeadListPage, ctx: BlockContext) {
  const { t } = ctx;
  const l = t.leads;
  const conditions = conditionsText(list, ctx);
  const from = list.page * list.pageSize + 1;
  const to = list.page * list.pageSize + list.entries.length;
  const count =
    list.total > list.pageSize ? l.page(from, to, list.total) : list.total > 1 ? l.total(list.total) : null;
  const blocks: Block[] = [header(l.title), contextLine(conditions)];
  if (list.entries.length === 0) blocks.push(mrkdwnSection(l.empty));
  const showOwner = list.seesAll && list.filter.ownerId === null;
  for (const { lead, view } of list.entries) {
    const name = `*${escapeSlackText(clip(leadName(lead, t), 100))}*`;
    const owner = showOwner
      ? `${l.separator}${l.owner}: ${lead.ownerId ? `<@${lead.ownerId}>` : t.nobody}`
      : '';
    const facts = [
      `${t.followUp.timing}: ${t.followUp.segments[view.segment]}`,
      `${t.followUp.amount}: ${amountText(lead, ctx)}`,
      `${t.followUp.stage}: ${t.followUp.stages[lead.stage]}`,
      `${t.followUp.lastTouch}: ${lastTouchText(lead, view, ctx)}`,
    ].join(l.separator);
    const flags = [
      isAwaitingReply(lead)
        ? `:speech_balloon: ${l.awaitingFor(waited(lead.awaitingReplySince, list.now, ctx))}`
        : null,
      view.neglected ? `:warning: ${l.neglectedFor(view.daysSinceTouch)}` : null,
      lead.status === 'blocked' ? t.card.statuses.blocked : null,
    ].filter((flag) => flag !== null);
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [`${name}${owner}`, facts, ...(flags.length ? [flags.join(l.separator)] : [])].join('\n'),
      },
      accessory: button(LEAD_LIST_ACTION.open, l.open, lead.id),
    });
  }
  if (count) blocks.push(contextLine(count));
  const pages = Math.ceil(list.total / list.pageSize);
  const paging = [
    ...(list.page > 0
      ? [button(LEAD_LIST_ACTION.page, l.previous, writePageValue(list.filter, list.page - 1))]
      : []),
    ...(list.page + 1 < pages
      ? [button(LEAD_LIST_ACTION.page, l.next, writePageValue(list.filter, list.page + 1))]
      : []),
  ];
  if (paging.length > 0) blocks.push(actions('lead_list_pages', paging));
  return { text: [l.title, conditions, count].filter(Boolean).join(l.separator), blocks };
}

/** 「担当: 全員 ・ 段階: 追客中・長期フォロー・既存顧客 ・ 返信待ち」: what the list holds. */
function conditionsText(list: LeadListPage, ctx: BlockContext): string {
  const { t } = ctx;
  const { filter } = list;
  return [
    `${t.leads.owner}: ${filter.ownerId ? `<@${filter.ownerId}>` : t.leads.everyone}`,
    ...(filter.segment ? [`${t.followUp.timing}: ${t.followUp.segments[filter.segment]}`] : []),
    `${t.followUp.stage}: ${filter.stage ? t.followUp.stages[filter.stage] : t.leads.stagesByDefault}`,
    ...(filter.awaiting ? [t.leads.awaiting] : []),
    ...(filter.neglected ? [t.leads.neglected] : []),
  ].join(t.leads.separator);
}

/** How long a message has waited, in the largest unit that reads naturally. */
function waited(since: Date | null, now: Date, ctx: BlockContext): string {
  const l = ctx.t.leads;
  const minutes = Math.max(0, Math.floor((now.getTime() - (since?.getTime() ?? now.getTime())) / 60_000));
  if (minutes < 60) return l.minutes(minutes);
  if (minutes < 24 * 60) return l.hours(Math.floor(minutes / 60), minutes % 60);
  return l.days(Math.floor(minutes / (24 * 60)));
}

import { DIGEST_SECTIONS, type Digest, type DigestItem } from '../../src/domain/digest.ts';
import { formatYen } from '../../src/domain/follow-up/amount-band.ts';
import { presetSegment, segmentPreset, TIMING_PRESETS } from '../../src/domain/follow-up/purchase-timing.ts';
import { isOpenDeal, isPastCustomer, type Lead } from '../../src/domain/lead.ts';
import type { FollowUpView } from '../../src/domain/lead-follow-up.ts';
import { escapeSlackText } from '../../src/domain/slack-text.ts';
import type { TeamSummary } from '../../src/ports.ts';
import {
  actions,
  type Block,
  type BlockContext,
  button,
  clip,
  contextLine,
  header,
  leadName,
  mrkdwn,
  mrkdwnSection,
  plainText,
} from './block-kit.ts';
import { ACTION, joinValue, SNOOZE_DAYS } from './follow-up-ids.ts';

/** Leads per digest page: two blocks each plus headers stays under Slack's 50 blocks a message. */
export const DIGEST_PAGE_SIZE = 20;

export function amountText(lead: Lead, ctx: BlockContext): string {
  return lead.amountYen === null ? ctx.t.followUp.amountUnknown : formatYen(lead.amountYen);
}

export function lastTouchText(lead: Lead, view: FollowUpView, ctx: BlockContext): string {
  return lead.lastTouchAt ? ctx.t.followUp.daysAgo(view.daysSinceTouch) : ctx.t.followUp.never;
}

/** The follow-up fields added to a lead card. */
export function followUpFields(lead: Lead, view: FollowUpView, ctx: BlockContext): Block[] {
  const f = ctx.t.followUp;
  const next = isPastCustomer(lead)
    ? view.nextDate
    : !isOpenDeal(lead)
      ? '—'
      : `${view.nextDate}（${f.nextAttempt(view.nextAttempt)}）`;
  return [
    `*${f.timing}*\n${f.segments[view.segment]}${lead.purchaseTiming ? ` (${lead.purchaseTiming})` : ''}`,
    `*${f.amount}*\n${amountText(lead, ctx)}`,
    `*${f.lastTouch}*\n${lastTouchText(lead, view, ctx)}`,
    `*${f.next}*\n${next}`,
    `*${f.stage}*\n${f.stages[lead.stage]}`,
  ].map(mrkdwn);
}

/** The buttons on a lead card and on each digest line (8 elements; an actions block takes 25). */
export function leadActions(lead: Lead, ctx: BlockContext, view?: FollowUpView): Block {
  const f = ctx.t.followUp;
  const b = f.buttons;
  const timingOptions = TIMING_PRESETS.map((preset) => ({
    text: plainText(f.segments[presetSegment(preset)]),
    value: joinValue(lead.id, preset),
  }));
  const current = view
    ? timingOptions.find((o) => o.value === joinValue(lead.id, segmentPreset(view.segment)))
    : undefined;
  const snooze = {
    type: 'static_select',
    action_id: ACTION.snooze,
    placeholder: plainText(b.snooze),
    options: SNOOZE_DAYS.map((days) => ({
      text: plainText(f.snoozePresets[days]),
      value: joinValue(lead.id, days),
    })),
  };
  const call = button(ACTION.call, b.call, lead.id);
  const visit = button(ACTION.visit, b.visit, lead.id);
  const reassign = { type: 'users_select', action_id: ACTION.reassign, placeholder: plainText(b.reassign) };
  const blockId = `lead:${lead.id}`;
  // After-sales follow-up (既存顧客): contact and scheduling only; the deal itself is closed.
  if (isPastCustomer(lead)) return actions(blockId, [call, visit, snooze, reassign]);
  return actions(blockId, [
    call,
    visit,
    {
      type: 'static_select',
      action_id: ACTION.timing,
      placeholder: plainText(b.timing),
      options: timingOptions,
      ...(current ? { initial_option: current } : {}),
    },
    button(ACTION.amount, b.amount, lead.id),
    snooze,
    reassign,
    button(ACTION.won, b.won, lead.id, 'primary'),
    button(ACTION.lost, b.lost, lead.id, 'danger'),
  ]);
}

/**
 * The morning digest for one rep, one page of it. Long lists paginate with a "more" button
 * instead of ever exceeding Slack's 50 blocks a message.
 * https://docs.slack.dev/reference/block-kit/blocks
 */
export function digestMessage(
  digest: Digest,
  page: number,
  date: string,
  now: Date,
  ctx: BlockContext,
  team?: TeamSummary,
) {
  const { t } = ctx;
  const items = DIGEST_SECTIONS.flatMap((section) => digest[section]);
  const title = `${t.digest.title}（${date}）`;
  const teamBlocks = team && page === 0 ? teamSummaryBlocks(team, ctx) : [];
  if (items.length === 0) {
    return {
      text: `${title}: ${t.digest.empty}`,
      blocks: [header(title), ...teamBlocks, mrkdwnSection(t.digest.empty)],
    };
  }
  const pages = Math.ceil(items.length / DIGEST_PAGE_SIZE);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const slice = items.slice(current * DIGEST_PAGE_SIZE, (current + 1) * DIGEST_PAGE_SIZE);
  const counts = DIGEST_SECTIONS.filter((s) => digest[s].length > 0)
    .map((s) => `${t.digest.sections[s]} ${t.digest.count(digest[s].length)}`)
    .join(' / ');
  const blocks: Block[] = [header(title), ...teamBlocks, contextLine(counts)];
  let section: string | null = null;
  for (const item of slice) {
    if (item.section !== section) {
      section = item.section;
      blocks.push(mrkdwnSection(`*${t.digest.sections[item.section]}*`));
    }
    blocks.push(digestLine(item, now, ctx), leadActions(item.lead, ctx, item.view));
  }
  const from = current * DIGEST_PAGE_SIZE + 1;
  blocks.push(contextLine(t.digest.page(from, from + slice.length - 1, items.length)));
  if (current + 1 < pages) {
    blocks.push(
      actions('digest_pages', [
        button(ACTION.digestPage, t.followUp.buttons.more, joinValue(date, String(current + 1))),
      ]),
    );
  }
  return { text: `${title}: ${counts}`, blocks };
}

/** The team section is one section block, whose text Slack caps at 3000 characters. */
const TEAM_TEXT_MAX = 3000;

/**
 * The team at the top of a manager's digest and `today`: every rep, with their waiting (返信待ち)
 * and neglected (放置) leads named. With a large team, fewer names per rep are shown before any
 * rep is left out; the two blocks keep the digest's first page within Slack's 50 blocks.
 */
function teamSummaryBlocks(team: TeamSummary, ctx: BlockContext): Block[] {
  const { t } = ctx;
  const awaiting = team.reduce((sum, row) => sum + row.awaiting, 0);
  const neglected = team.reduce((sum, row) => sum + row.neglected, 0);
  const head = `*${t.team.title}*\n${t.team.totals(awaiting, neglected)}`;
  const namedMost = Math.max(
    0,
    ...team.map((r) => Math.max(r.awaitingLeads.length, r.neglectedLeads.length)),
  );
  let text = '';
  for (let names = namedMost; names >= 0; names--) {
    const rows = team.map((row) => teamRow(row, names, ctx));
    const cut = team.some((row) => row.awaiting > names || row.neglected > names);
    text = [head, ...rows, ...(cut ? [t.team.hint(ctx.command)] : [])].join('\n');
    if (text.length <= TEAM_TEXT_MAX) return [mrkdwnSection(text), { type: 'divider' }];
  }
  // Even without names the team does not fit: list as many reps as do.
  const lines = [head];
  for (const [i, row] of team.entries()) {
    const more = t.team.moreReps(team.length - i);
    const line = teamRow(row, 0, ctx);
    if ([...lines, line, more].join('\n').length > TEAM_TEXT_MAX) {
      lines.push(more);
      break;
    }
    lines.push(line);
  }
  return [mrkdwnSection(lines.join('\n')), { type: 'divider' }];
}

/** One rep: `• @rep 担当 12件`, then their waiting and neglected leads, up to `names` of each named. */
function teamRow(row: TeamSummary[number], names: number, ctx: BlockContext): string {
  const { t } = ctx;
  const owner = `• <@${row.ownerId}> ${t.team.leads(row.leads)}`;
  if (row.awaiting === 0 && row.neglected === 0) return `${owner}${t.leads.separator}${t.team.nothing}`;
  const named = (count: string, total: number, leads: Lead[]) => {
    const shown = leads.slice(0, names).map((lead) => escapeSlackText(clip(leadName(lead, t), 40)));
    if (shown.length === 0) return `${TEAM_INDENT}${count}`;
    const list = shown.join(t.team.listSeparator);
    const rest = total - shown.length;
    return `${TEAM_INDENT}${count}: ${rest > 0 ? t.team.namesAndMore(list, rest) : list}`;
  };
  return [
    owner,
    ...(row.awaiting > 0 ? [named(t.team.awaitingCount(row.awaiting), row.awaiting, row.awaitingLeads)] : []),
    ...(row.neglected > 0
      ? [named(t.team.neglectedCount(row.neglected), row.neglected, row.neglectedLeads)]
      : []),
  ].join('\n');
}

/** Slack keeps leading spaces in mrkdwn: the rep's leads read as under the rep. */
const TEAM_INDENT = '      ';

function digestLine(item: DigestItem, now: Date, ctx: BlockContext): Block {
  const { t } = ctx;
  const { lead, view } = item;
  const name = escapeSlackText(leadName(lead, t));
  const reason = reasonOf(item, now, ctx);
  const facts = [
    t.followUp.segments[view.segment],
    amountText(lead, ctx),
    `${t.followUp.lastTouch}: ${lastTouchText(lead, view, ctx)}`,
  ].join(' ・ ');
  return mrkdwnSection(`*${name}*  ${facts}\n${reason}`);
}

function reasonOf(item: DigestItem, now: Date, ctx: BlockContext): string {
  const r = ctx.t.digest.reasons;
  const { lead, view } = item;
  switch (item.section) {
    case 'awaiting_reply': {
      const since = lead.awaitingReplySince?.getTime() ?? 0;
      return `:speech_balloon: ${r.awaiting_reply(Math.max(0, Math.floor((now.getTime() - since) / 60_000)))}`;
    }
    case 'personal_contact':
      return `:telephone_receiver: ${r.personal_contact(view.overdueDays, view.nextAttempt)}`;
    case 'due_today':
      return `:calendar: ${isPastCustomer(lead) ? r.customer : r.due_today(view.overdueDays, view.nextAttempt)}`;
    case 'neglected':
      return `:warning: ${r.neglected(view.daysSinceTouch)}`;
  }
}

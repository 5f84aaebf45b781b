import { monthText } from '../../src/domain/date-text.ts';
import { DIGEST_SECTIONS, type Digest, type DigestItem } from '../../src/domain/digest.ts';
import { formatYen } from '../../src/domain/follow-up/amount-band.ts';
import { presetSegment, segmentPreset, TIMING_PRESETS } from '../../src/domain/follow-up/purchase-timing.ts';
import { isOpenDeal, isPastCustomer, type Lead } from '../../src/domain/lead.ts';
import { type FollowUpView, storedTiming } from '../../src/domain/lead-follow-up.ts';
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
  shownDay,
  shownMoment,
} from './block-kit.ts';
import { ACTION, DIGEST_HEADER_ID, digestLineId, joinValue, SNOOZE_DAYS } from './follow-up-ids.ts';

/** Leads per digest page: two blocks each plus headers stays under Slack's 50 blocks a message. */
export const DIGEST_PAGE_SIZE = 20;

/** 3,500万円 as Japanese staff read it; ¥35,000,000 in English (万 and 円 mean nothing there). */
export function amountText(lead: Lead, ctx: BlockContext): string {
  if (lead.amountYen === null) return ctx.t.followUp.amountUnknown;
  return ctx.locale === 'en'
    ? `¥${Math.round(lead.amountYen).toLocaleString('en-US')}`
    : formatYen(lead.amountYen);
}

export function lastTouchText(lead: Lead, view: FollowUpView, ctx: BlockContext): string {
  return lead.lastTouchAt ? ctx.t.followUp.daysAgo(view.daysSinceTouch) : ctx.t.followUp.never;
}

/** The lead's timing segment, with the month or day the lead named: 1ヶ月以内（12月）. */
export function timingText(lead: Lead, view: FollowUpView, ctx: BlockContext): string {
  const f = ctx.t.followUp;
  const timing = storedTiming(lead.purchaseTiming);
  if (!timing) return f.segments[view.segment];
  const opts = { locale: ctx.locale, timezone: ctx.timezone, now: ctx.now() };
  const when = timing.kind === 'month' ? monthText(timing.month, opts) : shownDay(timing.date, ctx, opts.now);
  return f.timingWithDate(f.segments[view.segment], when);
}

/**
 * The follow-up fields added to a lead card. A card stays up for weeks, so it shows dates, not
 * relative words that would go stale ("今日" on a card is wrong tomorrow); an overdue follow-up
 * says so, and the morning digest redraws the cards of leads that are due.
 */
export function followUpFields(lead: Lead, view: FollowUpView, ctx: BlockContext): Block[] {
  const f = ctx.t.followUp;
  const notes = [
    ...(view.overdueDays > 0 ? [f.overdue(view.overdueDays)] : []),
    ...(isOpenDeal(lead) ? [f.nextAttempt(view.nextAttempt)] : []),
  ];
  const next = isPastCustomer(lead)
    ? view.overdueDays > 0
      ? f.dateWithNote(shownDay(view.nextDate, ctx), f.overdue(view.overdueDays))
      : shownDay(view.nextDate, ctx)
    : !isOpenDeal(lead)
      ? '—'
      : f.dateWithNote(shownDay(view.nextDate, ctx), notes.join(f.noteSeparator));
  return [
    `*${f.timing}*\n${timingText(lead, view, ctx)}`,
    `*${f.amount}*\n${amountText(lead, ctx)}`,
    `*${f.lastTouch}*\n${lead.lastTouchAt ? shownMoment(lead.lastTouchAt, ctx) : f.never}`,
    `*${f.next}*\n${next}${view.askTiming ? `\n${ctx.t.digest.reasons.ask_timing}` : ''}`,
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
  const title = t.digest.heading(shownDay(date, ctx, now));
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
    .map((s) => t.digest.sectionCount(t.digest.sections[s], digest[s].length))
    .join(' / ');
  const blocks: Block[] = [
    { ...header(title), block_id: DIGEST_HEADER_ID },
    ...teamBlocks,
    contextLine(counts),
  ];
  let section: string | null = null;
  for (const item of slice) {
    if (item.section !== section) {
      section = item.section;
      blocks.push(mrkdwnSection(`*${t.digest.sections[item.section]}*`));
    }
    blocks.push(digestLine(item, now, ctx), leadActions(item.lead, ctx, item.view));
  }
  // Where this page is in the list; nothing to say when the list fits on one page.
  const from = current * DIGEST_PAGE_SIZE + 1;
  if (pages > 1) blocks.push(contextLine(t.digest.page(from, from + slice.length - 1, items.length)));
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
  const facts = t.digest.facts(
    t.followUp.segments[view.segment],
    amountText(lead, ctx),
    lastTouchText(lead, view, ctx),
  );
  return { ...mrkdwnSection(`*${name}*  ${facts}\n${reason}`), block_id: digestLineId(lead.id) };
}

function reasonOf(item: DigestItem, now: Date, ctx: BlockContext): string {
  const reason = sectionReason(item, now, ctx);
  // The lead wrote but nobody knows when they plan to buy: that is the question to ask.
  return item.view.askTiming ? `${reason}\n:question: ${ctx.t.digest.reasons.ask_timing}` : reason;
}

function sectionReason(item: DigestItem, now: Date, ctx: BlockContext): string {
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

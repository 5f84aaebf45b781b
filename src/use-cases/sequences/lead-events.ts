import { localDate } from '../../domain/business-calendar.ts';
import {
  segmentPreset,
  type TimingSegment,
  timingFromPreset,
  timingSegment,
} from '../../domain/follow-up/purchase-timing.ts';
import type { InboundContent } from '../../domain/inbound-content.ts';
import { plainTextOf } from '../../domain/inbound-content.ts';
import { type Lead, leadOrderKey } from '../../domain/lead.ts';
import { timingToStored } from '../../domain/lead-follow-up.ts';
import { leadHistoryDiff, SYSTEM_ACTOR } from '../../domain/lead-history.ts';
import { leadSegment } from '../../domain/sequences/audience.ts';
import { matchOptKeyword, type OptKeywordMatch } from '../../domain/sequences/opt-out-keywords.ts';
import { autoResumeMoment } from '../../domain/sequences/pause-resume.ts';
import { parseQuestionnairePostback } from '../../domain/sequences/questionnaire-postback.ts';
import type { LeadLineMessage, OutboxEntry, Repos, SequenceNotice } from '../../ports.ts';
import { onFollowed, onSegmentChanged, onTagAdded, stopSequences } from './enrolments.ts';
import { type SequenceSettings, sequenceById } from './sequence-settings.ts';

/*
 * What LINE events from a lead do to its step sequences: a follow starts the greeting, an unfollow
 * stops everything, a message pauses, a keyword opts out or in, a questionnaire tap sets the timing
 * or adds an interest. Each runs in the ingest transaction, the lead's row locked.
 */

const notice = (leadId: string, body: SequenceNotice): OutboxEntry => ({
  job: { kind: 'slack.notice', leadId, notice: body },
  orderKey: leadOrderKey(leadId),
});

const card = (leadId: string): OutboxEntry => ({
  job: { kind: 'slack.card', leadId },
  orderKey: leadOrderKey(leadId),
});

const answer = (
  leadId: string,
  message: LeadLineMessage,
  replyToken: string | null,
  receivedAt: Date,
): OutboxEntry => ({
  job: { kind: 'line.lead_answer', leadId, replyToken, receivedAt: receivedAt.toISOString(), message },
  orderKey: leadOrderKey(leadId),
  // Pushed with this key when the reply token is stale.
  retryKey: crypto.randomUUID(),
});

export function followed(
  tx: Repos,
  settings: SequenceSettings,
  lead: Lead,
  input: { at: Date; replyToken: string | null; receivedAt: Date },
): Promise<OutboxEntry[]> {
  return onFollowed(tx, settings, lead, { ...input, today: localDate(input.at, settings.rules.timezone) });
}

/** The lead blocked the account: every sequence stops, and nothing is sent after this commits. */
export async function unfollowed(
  tx: Repos,
  settings: SequenceSettings,
  leadId: string,
  at: Date,
): Promise<void> {
  await stopSequences(tx, settings, leadId, 'blocked', at);
}

/**
 * The lead wrote: its active sequences pause (the owner takes over) and resume by themselves
 * SEQUENCE_RESUME_DAYS after the lead's last message; each new message pushes that further.
 */
export async function pauseOnReply(
  tx: Repos,
  settings: SequenceSettings,
  messages: readonly { leadId: string; sentAt: Date }[],
  at: Date,
): Promise<OutboxEntry[]> {
  const last = new Map<string, Date>();
  for (const { leadId, sentAt } of messages) {
    const seen = last.get(leadId);
    if (!seen || sentAt > seen) last.set(leadId, sentAt);
  }
  const paused = await tx.enrolments.pauseForLeads(
    [...last].map(([leadId, sentAt]) => ({
      leadId,
      resumeAt: autoResumeMoment(sentAt > at ? at : sentAt, settings.resumeDays, settings.rules.timezone),
    })),
    at,
  );
  const entries: OutboxEntry[] = [];
  for (const enrolment of paused) {
    const sequence = sequenceById(settings, enrolment.sequenceId);
    if (sequence)
      entries.push(
        notice(enrolment.leadId, { key: 'sequence_paused_by_reply', sequenceName: sequence.name }),
      );
  }
  for (const leadId of new Set(paused.map((e) => e.leadId))) entries.push(card(leadId));
  return entries;
}

/** A message that is exactly an opt-out or opt-in keyword, else null (opt-in only counts when opted out). */
export function keywordOf(
  settings: SequenceSettings,
  content: InboundContent,
  lead: Pick<Lead, 'optedOutAt'> | null,
): OptKeywordMatch | null {
  const text = content.kind === 'text' ? plainTextOf(content) : null;
  if (!text) return null;
  const match = matchOptKeyword(text, settings.keywords);
  if (match === 'opt_in' && !lead?.optedOutAt) return null;
  return match;
}

/**
 * 配信停止 stops every sequence and 配信再開 reverses it; either gets one confirmation by the free
 * reply token and a line in the lead's thread. The keyword is kept as a message of the lead but
 * is not relayed as a question: nobody needs to answer it, and the 1:1 chat goes on as before.
 */
export async function optKeyword(
  tx: Repos,
  settings: SequenceSettings,
  lead: Lead,
  input: {
    match: OptKeywordMatch;
    content: InboundContent;
    lineMessageId: string;
    sentAt: Date;
    replyToken: string | null;
    at: Date;
  },
): Promise<OutboxEntry[]> {
  const { at } = input;
  await tx.messages.insert({
    leadId: lead.id,
    direction: 'inbound',
    content: input.content,
    text: plainTextOf(input.content),
    lineMessageId: input.lineMessageId,
    authorId: null,
    slackChannelId: null,
    slackTs: null,
    status: 'received',
    createdAt: input.sentAt,
  });
  await tx.leads.patch(lead.id, { lastInboundAt: input.sentAt }, at);
  if (input.match === 'opt_out') {
    if (!lead.optedOutAt) await tx.leads.patch(lead.id, { optedOutAt: at }, at);
    await stopSequences(tx, settings, lead.id, 'opted_out', at);
    return [
      answer(lead.id, { key: 'opted_out' }, input.replyToken, at),
      notice(lead.id, { key: 'lead_opted_out' }),
      card(lead.id),
    ];
  }
  await tx.leads.patch(lead.id, { optedOutAt: null }, at);
  const today = localDate(at, settings.rules.timezone);
  const back = { ...lead, optedOutAt: null };
  // Back in: the sequence of the lead's segment starts again from its first step.
  await onSegmentChanged(tx, settings, back, { from: null, to: leadSegment(back, today), today }, at);
  return [
    answer(lead.id, { key: 'opted_in' }, input.replyToken, at),
    notice(lead.id, { key: 'lead_opted_in' }),
    card(lead.id),
  ];
}

/**
 * A tap on the questionnaire: 「ご検討時期は？」 sets the purchase timing as the 検討時期 select
 * does (recorded as the lead's answer), thanks the lead, posts the answer in the thread and starts
 * the matching segment sequence; 「特に気になることは？」 stores the answer as a tag. A stale or
 * foreign postback (another tool's, an interest no longer offered) changes nothing.
 */
export async function answerPostback(
  tx: Repos,
  settings: SequenceSettings,
  lead: Lead,
  input: { data: string; replyToken: string | null; at: Date },
): Promise<OutboxEntry[]> {
  const parsed = parseQuestionnairePostback(input.data, settings.file.interests);
  if (!parsed || lead.erasedAt) return [];
  const { at } = input;
  const today = localDate(at, settings.rules.timezone);
  if (parsed.question === 'interest') {
    const added = await tx.tags.add(lead.id, parsed.interest, 'lead', at);
    if (!added) return [answer(lead.id, { key: 'interest_thanks' }, input.replyToken, at)];
    await onTagAdded(tx, settings, lead, parsed.interest, today, at);
    return [
      answer(lead.id, { key: 'interest_thanks' }, input.replyToken, at),
      notice(lead.id, { key: 'questionnaire_interest', interest: parsed.interest }),
      card(lead.id),
    ];
  }
  const segment: TimingSegment = parsed.segment;
  const timing = timingFromPreset(segmentPreset(segment), today);
  const after: Lead = {
    ...lead,
    purchaseTiming: timingToStored(timing),
    announcedSegment: timingSegment(timing, today),
  };
  if (after.purchaseTiming !== lead.purchaseTiming || after.announcedSegment !== lead.announcedSegment) {
    await tx.leads.patch(
      lead.id,
      { purchaseTiming: after.purchaseTiming, announcedSegment: after.announcedSegment },
      at,
    );
    await tx.history.append(leadHistoryDiff(lead, after, { at, actor: SYSTEM_ACTOR, timingBy: 'lead' }));
  }
  await onSegmentChanged(
    tx,
    settings,
    after,
    { from: leadSegment(lead, today), to: leadSegment(after, today), today },
    at,
  );
  const tags = await tx.tags.listForLead(lead.id);
  const askInterest = !settings.file.interests.some((interest) => tags.includes(interest));
  return [
    answer(lead.id, { key: 'timing_thanks', askInterest }, input.replyToken, at),
    notice(lead.id, { key: 'questionnaire_timing', segment }),
    card(lead.id),
  ];
}

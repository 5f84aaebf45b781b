import { isOpenAt, localDate, nextOpening } from '../domain/business-calendar.ts';
import type { FollowUpPolicy } from '../domain/follow-up-policy.ts';
import type { InboundContent } from '../domain/inbound-content.ts';
import { plainTextOf } from '../domain/inbound-content.ts';
import type { Lead } from '../domain/lead.ts';
import { leadOrderKey } from '../domain/lead.ts';
import { leadHistoryDiff, SYSTEM_ACTOR } from '../domain/lead-history.ts';
import { touchEffects } from '../domain/touch-effects.ts';
import type { LeadMessageState, NewMessage, NewTouch, OutboxEntry, Repos } from '../ports.ts';

export interface LeadMessage {
  lead: Lead;
  lineMessageId: string;
  content: InboundContent;
  sentAt: Date;
  replyToken: string | null;
}

/**
 * Records messages from known leads: each message, its touch (which starts the speed-to-lead
 * clock), the lead's new follow-up state, the relay to Slack and, outside business hours, one
 * honest acknowledgement per closed period. Several messages (even from one lead) are applied in
 * order in memory, then written in one statement, so a burst of webhooks costs a
 * handful of round trips instead of several per message.
 */
export async function recordLeadMessages(
  tx: Repos,
  items: readonly LeadMessage[],
  at: Date,
  policy: FollowUpPolicy,
): Promise<void> {
  if (items.length === 0) return;
  const leads = new Map<string, Lead>();
  /** Each lead as it was before this batch. */
  const originals = new Map<string, Lead>();
  const states = new Map<string, LeadMessageState>();
  const messages: NewMessage[] = [];
  const touches: NewTouch[] = [];
  const cardQueued = new Set<string>();
  const entries: OutboxEntry[] = [];
  for (const item of items) {
    const lead = leads.get(item.lead.id) ?? item.lead;
    if (!originals.has(lead.id)) originals.set(lead.id, item.lead);
    const key = leadOrderKey(lead.id);
    const id = crypto.randomUUID();
    messages.push({
      id,
      leadId: lead.id,
      direction: 'inbound',
      content: item.content,
      text: plainTextOf(item.content),
      lineMessageId: item.lineMessageId,
      authorId: null,
      slackChannelId: null,
      slackTs: null,
      status: 'received',
      createdAt: item.sentAt,
    });
    // The receipt time on our clock: LINE delivers within seconds, and business hours use our clock.
    touches.push({
      leadId: lead.id,
      channel: 'line',
      direction: 'inbound',
      outcome: 'replied',
      note: null,
      authorId: null,
      messageId: id,
      at,
    });
    const { movedTo, ...state } = touchEffects(lead, {
      channel: 'line',
      direction: 'inbound',
      outcome: 'replied',
      at,
    });
    const ack = outOfHoursAck(lead, at, policy);
    const previous = states.get(lead.id);
    const next: LeadMessageState = {
      id: lead.id,
      ...state,
      lastInboundAt:
        lead.lastInboundAt && lead.lastInboundAt > item.sentAt ? lead.lastInboundAt : item.sentAt,
      reactivated: (previous?.reactivated ?? false) || lead.status === 'blocked',
      autoAckedAt: ack ? at : (previous?.autoAckedAt ?? null),
    };
    states.set(lead.id, next);
    leads.set(lead.id, {
      ...lead,
      ...state,
      lastInboundAt: next.lastInboundAt,
      status: 'active',
      autoAckedAt: next.autoAckedAt ?? lead.autoAckedAt,
    });
    entries.push({ job: { kind: 'slack.relay', messageId: id, leadId: lead.id }, orderKey: key });
    // The card shows the day of the last touch and the status: redraw it when either changes
    // (a stage change below brings its own redraw).
    const touchDayChanged =
      !lead.lastTouchAt ||
      localDate(lead.lastTouchAt, policy.calendar.timezone) !== localDate(at, policy.calendar.timezone);
    if (!movedTo && (touchDayChanged || lead.status === 'blocked') && !cardQueued.has(lead.id)) {
      cardQueued.add(lead.id);
      entries.push({ job: { kind: 'slack.card', leadId: lead.id }, orderKey: key });
    }
    if (movedTo) {
      entries.push(
        {
          job: { kind: 'slack.notice', leadId: lead.id, notice: { key: 'back_from_nurture', attempts: 0 } },
          orderKey: key,
        },
        { job: { kind: 'slack.card', leadId: lead.id }, orderKey: key },
      );
    }
    if (ack) {
      entries.push({
        job: { kind: 'line.ack', leadId: lead.id, replyToken: item.replyToken, receivedAt: at.toISOString() },
        orderKey: key,
        retryKey: crypto.randomUUID(),
      });
    }
  }
  // What the messages changed (back from nurture, unblocked) goes into the same statement.
  const history = [...originals.values()].flatMap((before) => {
    const after = leads.get(before.id);
    return after ? leadHistoryDiff(before, after, { at, actor: SYSTEM_ACTOR }) : [];
  });
  await tx.inbound.record({ messages, touches, states: [...states.values()], entries, history, at });
}

/**
 * Outside business hours the lead gets one honest acknowledgement per closed period, saying when
 * staff will answer; the speed-to-lead clock itself only counts business minutes.
 */
function outOfHoursAck(lead: Lead, at: Date, policy: FollowUpPolicy): boolean {
  if (isOpenAt(at, policy.calendar)) return false;
  const last = lead.autoAckedAt;
  return !last || nextOpening(last, policy.calendar) <= at;
}

import { isOpenAt, nextOpening } from '../domain/business-calendar.ts';
import type { FollowUpPolicy } from '../domain/follow-up-policy.ts';
import type { InboundContent } from '../domain/inbound-content.ts';
import { plainTextOf } from '../domain/inbound-content.ts';
import type { Lead } from '../domain/lead.ts';
import { leadOrderKey } from '../domain/lead.ts';
import { touchEffects } from '../domain/touch-effects.ts';
import type { Clock, OutboxEntry, Repos, Store } from '../ports.ts';
import { assignOwner } from './assign-owner.ts';

export type InboundLineEvent = {
  webhookEventId: string;
  timestamp: Date;
  /** The LINE user for one-to-one chats; null for groups, rooms and events without a user. */
  userId: string | null;
  raw: unknown;
} & (
  | { type: 'follow'; isUnblocked: boolean }
  | { type: 'unfollow' }
  | { type: 'message'; lineMessageId: string; content: InboundContent; replyToken: string | null }
  | { type: 'other'; eventType: string }
);

export interface IngestResult {
  stored: number;
  duplicates: number;
}

/**
 * Stores each webhook event exactly once (keyed by webhookEventId) together with the lead changes
 * and the outbox rows it causes, all in one transaction. Slow work (profile fetch, Slack posts)
 * is left to the outbox, so LINE gets its answer well inside its 2-second limit.
 * https://developers.line.biz/en/docs/messaging-api/receiving-messages/
 */
export async function ingestLineEvents(
  deps: { store: Store; clock: Clock; policy: FollowUpPolicy },
  events: InboundLineEvent[],
): Promise<IngestResult> {
  if (events.length === 0) return { stored: 0, duplicates: 0 };
  const receivedAt = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    let stored = 0;
    const entries: OutboxEntry[] = [];
    for (const event of events) {
      // A message's lead is read (and locked) in the same round trip as the event's dedupe insert.
      const prefetch =
        event.type === 'message' && event.userId
          ? tx.leads.findByLineUserId(event.userId, { lock: true })
          : Promise.resolve(undefined);
      const [isNew, known] = await Promise.all([
        tx.lineEvents.insertOnce({
          webhookEventId: event.webhookEventId,
          type: event.type === 'other' ? event.eventType : event.type,
          lineUserId: event.userId,
          payload: event.raw,
          eventAt: event.timestamp,
          receivedAt,
        }),
        prefetch,
      ]);
      if (!isNew) continue;
      stored += 1;
      entries.push(...(await applyEvent(tx, event, receivedAt, deps.policy, known)));
    }
    await tx.outbox.enqueue(entries);
    return { stored, duplicates: events.length - stored };
  });
}

async function applyEvent(
  tx: Repos,
  event: InboundLineEvent,
  at: Date,
  policy: FollowUpPolicy,
  known: Lead | null | undefined,
): Promise<OutboxEntry[]> {
  if (event.userId === null || event.type === 'other') return [];
  switch (event.type) {
    case 'follow':
      return onFollow(tx, event.userId, at);
    case 'unfollow':
      return onUnfollow(tx, event.userId, at);
    case 'message':
      return onMessage(tx, event, event.userId, at, policy, known);
  }
}

async function leadFor(
  tx: Repos,
  lineUserId: string,
  source: Lead['source'],
  at: Date,
  prefetched?: Lead | null,
) {
  // Most events come from known leads: one locking read, and no insert attempt.
  const known =
    prefetched === undefined ? await tx.leads.findByLineUserId(lineUserId, { lock: true }) : prefetched;
  if (known) return { lead: known, entries: [] as OutboxEntry[] };
  const { lead, created } = await tx.leads.insertOrGet({ lineUserId, source, status: 'active', at });
  if (!created) return { lead, entries: [] as OutboxEntry[] };
  const entries: OutboxEntry[] = [
    { job: { kind: 'line.profile', leadId: lead.id }, orderKey: leadOrderKey(lead.id) },
  ];
  const assigned = await assignOwner(tx, lead, at);
  entries.push(...assigned.entries);
  return { lead: { ...lead, ownerId: assigned.ownerId }, entries };
}

async function onFollow(tx: Repos, lineUserId: string, at: Date): Promise<OutboxEntry[]> {
  const { lead, entries } = await leadFor(tx, lineUserId, 'follow', at);
  if (entries.length > 0 || lead.status === 'active') return entries;
  // A blocked lead came back: reactivate, refresh the profile, and tell whoever works it.
  await tx.leads.setStatus(lead.id, 'active', at);
  const key = leadOrderKey(lead.id);
  const back: OutboxEntry[] = [{ job: { kind: 'line.profile', leadId: lead.id }, orderKey: key }];
  const owner = lead.ownerId ? await tx.staff.get(lead.ownerId) : null;
  if (lead.ownerId && !owner?.active) back.push(...(await assignOwner(tx, lead, at)).entries);
  back.push({
    job: { kind: 'slack.notice', leadId: lead.id, notice: { key: 'lead_unblocked' } },
    orderKey: key,
  });
  return back;
}

async function onUnfollow(tx: Repos, lineUserId: string, at: Date): Promise<OutboxEntry[]> {
  const lead = await tx.leads.findByLineUserId(lineUserId);
  if (!lead || lead.status === 'blocked') return [];
  await tx.leads.setStatus(lead.id, 'blocked', at);
  return [
    {
      job: { kind: 'slack.notice', leadId: lead.id, notice: { key: 'lead_blocked' } },
      orderKey: leadOrderKey(lead.id),
    },
  ];
}

async function onMessage(
  tx: Repos,
  event: Extract<InboundLineEvent, { type: 'message' }>,
  lineUserId: string,
  at: Date,
  policy: FollowUpPolicy,
  known: Lead | null | undefined,
): Promise<OutboxEntry[]> {
  const { lineMessageId, content, timestamp: sentAt } = event;
  const { lead, entries } = await leadFor(tx, lineUserId, 'message', at, known);
  const key = leadOrderKey(lead.id);
  const messageId = crypto.randomUUID();
  // Every lead message is a touch and starts the speed-to-lead clock until a rep answers. The
  // receipt time on our clock is used: LINE delivers within seconds, and business hours use our clock.
  const { movedTo, ...state } = touchEffects(lead, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at,
  });
  const ack = outOfHoursAck(lead, at, policy);
  entries.push({ job: { kind: 'slack.relay', messageId }, orderKey: key });
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
      job: { kind: 'line.ack', leadId: lead.id, replyToken: event.replyToken, receivedAt: at.toISOString() },
      orderKey: key,
      retryKey: crypto.randomUUID(),
    });
  }
  // Independent writes are issued together so the driver pipelines them in one round trip.
  await Promise.all([
    tx.messages.insert({
      id: messageId,
      leadId: lead.id,
      direction: 'inbound',
      content,
      text: plainTextOf(content),
      lineMessageId,
      authorId: null,
      slackChannelId: null,
      slackTs: null,
      status: 'received',
      createdAt: sentAt,
    }),
    tx.touches.insert({
      leadId: lead.id,
      channel: 'line',
      direction: 'inbound',
      outcome: 'replied',
      note: null,
      authorId: null,
      messageId,
      at,
    }),
    tx.leads.patch(
      lead.id,
      {
        ...state,
        lastInboundAt: lead.lastInboundAt && lead.lastInboundAt > sentAt ? lead.lastInboundAt : sentAt,
        ...(lead.status === 'blocked' ? { status: 'active' as const, blockedAt: null } : {}),
        ...(ack ? { autoAckedAt: at } : {}),
      },
      at,
    ),
    tx.outbox.enqueue(entries),
  ]);
  return [];
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

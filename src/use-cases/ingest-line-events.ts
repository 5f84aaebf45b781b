import type { FollowUpPolicy } from '../domain/follow-up-policy.ts';
import type { InboundContent } from '../domain/inbound-content.ts';
import type { Lead } from '../domain/lead.ts';
import { leadOrderKey } from '../domain/lead.ts';
import { leadHistoryDiff, SYSTEM_ACTOR } from '../domain/lead-history.ts';
import type { Clock, OutboxEntry, Repos, Store } from '../ports.ts';
import { assignOwner } from './assign-owner.ts';
import { type LeadMessage, recordLeadMessages } from './record-lead-messages.ts';
import {
  answerPostback,
  followed,
  keywordOf,
  optKeyword,
  pauseOnReply,
  unfollowed,
} from './sequences/lead-events.ts';
import type { SequenceSettings } from './sequences/sequence-settings.ts';

export type InboundLineEvent = {
  webhookEventId: string;
  timestamp: Date;
  /** The LINE user for one-to-one chats; null for groups, rooms and events without a user. */
  userId: string | null;
  raw: unknown;
} & (
  | { type: 'follow'; isUnblocked: boolean; replyToken: string | null }
  /** A tap on a postback button: the questionnaire's quick replies. */
  | { type: 'postback'; data: string; replyToken: string | null }
  | { type: 'unfollow' }
  | { type: 'message'; lineMessageId: string; content: InboundContent; replyToken: string | null }
  | { type: 'other'; eventType: string }
);

export interface IngestDeps {
  store: Store;
  clock: Clock;
  policy: FollowUpPolicy;
  /** Step sequences; without them, events do nothing to sequences (tools that only relay). */
  sequences?: SequenceSettings;
}

export interface IngestResult {
  stored: number;
  duplicates: number;
  /** The webhookEventIds this call stored (first time seen), so a batch can answer each request. */
  storedIds: Set<string>;
}

/**
 * Stores each webhook event exactly once (keyed by webhookEventId) together with the lead changes
 * and the outbox rows it causes, all in one transaction. Slow work (profile fetch, Slack posts)
 * is left to the outbox, so LINE gets its answer well inside its 2-second limit.
 * https://developers.line.biz/en/docs/messaging-api/receiving-messages/
 * Messages from known leads (the bulk of the traffic) are written together; the rarer events
 * (follows, unfollows, first contacts) go one by one, in order.
 */
export async function ingestLineEvents(deps: IngestDeps, events: InboundLineEvent[]): Promise<IngestResult> {
  if (events.length === 0) return { stored: 0, duplicates: 0, storedIds: new Set() };
  const receivedAt = deps.clock.now();
  // A redelivery can arrive in the same batch as the original: only its first copy is stored.
  const unique = events.filter((event, index) => firstIndex(events, event) === index);
  // Users with only messages in this batch take the batched path if they are known leads.
  const messageOnly = new Set<string>();
  const other = new Set<string>();
  for (const event of unique) {
    if (!event.userId) continue;
    // An opt-out or opt-in keyword takes the one-by-one path: it is not relayed as a message.
    const keyword =
      event.type === 'message' && deps.sequences && keywordOf(deps.sequences, event.content, KEYWORD_PROBE);
    (event.type === 'message' && !keyword ? messageOnly : other).add(event.userId);
  }
  for (const user of other) messageOnly.delete(user);
  return deps.store.transaction(async (tx) => {
    // The leads' locking read and the dedupe insert go out together: one round trip, and one
    // socket write (the driver sends the small read along with the large insert).
    const [lockedLeads, storedIds] = await Promise.all([
      tx.leads.lockManyByLineUserId([...messageOnly]),
      tx.lineEvents.insertManyOnce(
        unique.map((event) => ({
          webhookEventId: event.webhookEventId,
          type: event.type === 'other' ? event.eventType : event.type,
          lineUserId: event.userId,
          payload: event.raw,
          eventAt: event.timestamp,
          receivedAt,
        })),
      ),
    ]);
    const fresh = unique.filter((event) => storedIds.has(event.webhookEventId));
    const known = new Map(lockedLeads.map((lead) => [lead.lineUserId, lead]));
    const batched: LeadMessage[] = [];
    const entries: OutboxEntry[] = [];
    for (const event of fresh) {
      const lead = event.type === 'message' && event.userId ? known.get(event.userId) : undefined;
      if (lead && event.type === 'message') {
        batched.push({
          lead,
          lineMessageId: event.lineMessageId,
          content: event.content,
          sentAt: event.timestamp,
          replyToken: event.replyToken,
        });
      } else {
        entries.push(...(await applyEvent(tx, event, receivedAt, deps)));
      }
    }
    await recordLeadMessages(tx, batched, receivedAt, deps.policy);
    if (deps.sequences && batched.length > 0) {
      const messages = batched.map((item) => ({ leadId: item.lead.id, sentAt: item.sentAt }));
      entries.push(...(await pauseOnReply(tx, deps.sequences, messages, receivedAt)));
    }
    await tx.outbox.enqueue(entries);
    return { stored: fresh.length, duplicates: events.length - fresh.length, storedIds };
  });
}

function firstIndex(events: InboundLineEvent[], event: InboundLineEvent): number {
  return events.findIndex((e) => e.webhookEventId === event.webhookEventId);
}

/** Keyword detection before the lead is read: an opt-in keyword may be one (checked again after). */
const KEYWORD_PROBE = { optedOutAt: new Date(0) };

async function applyEvent(
  tx: Repos,
  event: InboundLineEvent,
  at: Date,
  deps: IngestDeps,
): Promise<OutboxEntry[]> {
  if (event.userId === null || event.type === 'other') return [];
  switch (event.type) {
    case 'follow':
      return onFollow(tx, event, event.userId, at, deps.sequences);
    case 'unfollow':
      return onUnfollow(tx, event.userId, at, deps.sequences);
    case 'message':
      return onMessage(tx, event, event.userId, at, deps);
    case 'postback':
      return onPostback(tx, event, event.userId, at, deps.sequences);
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
  await tx.history.append(leadHistoryDiff(null, lead, { at, actor: SYSTEM_ACTOR }));
  const entries: OutboxEntry[] = [
    { job: { kind: 'line.profile', leadId: lead.id }, orderKey: leadOrderKey(lead.id) },
  ];
  const assigned = await assignOwner(tx, lead, at);
  entries.push(...assigned.entries);
  return { lead: { ...lead, ownerId: assigned.ownerId }, entries };
}

async function onFollow(
  tx: Repos,
  event: Extract<InboundLineEvent, { type: 'follow' }>,
  lineUserId: string,
  at: Date,
  sequences: SequenceSettings | undefined,
): Promise<OutboxEntry[]> {
  const { lead, entries } = await leadFor(tx, lineUserId, 'follow', at);
  // A new friend, or one back after a block: `follow` sequences start (the greeting first).
  const greet = async (who: Lead) =>
    sequences && !who.erasedAt
      ? followed(tx, sequences, who, { at, replyToken: event.replyToken, receivedAt: at })
      : [];
  if (entries.length > 0) return [...entries, ...(await greet(lead))];
  if (lead.status === 'active') return entries;
  // A blocked lead came back: reactivate, refresh the profile, and tell whoever works it.
  await tx.leads.setStatus(lead.id, 'active', at);
  await tx.history.append(leadHistoryDiff(lead, { ...lead, status: 'active' }, { at, actor: SYSTEM_ACTOR }));
  const key = leadOrderKey(lead.id);
  const back: OutboxEntry[] = [{ job: { kind: 'line.profile', leadId: lead.id }, orderKey: key }];
  const owner = lead.ownerId ? await tx.staff.get(lead.ownerId) : null;
  if (lead.ownerId && !owner?.active) back.push(...(await assignOwner(tx, lead, at)).entries);
  back.push({
    job: { kind: 'slack.notice', leadId: lead.id, notice: { key: 'lead_unblocked' } },
    orderKey: key,
  });
  back.push(...(await greet({ ...lead, status: 'active' })));
  return back;
}

async function onUnfollow(
  tx: Repos,
  lineUserId: string,
  at: Date,
  sequences: SequenceSettings | undefined,
): Promise<OutboxEntry[]> {
  const lead = await tx.leads.findByLineUserId(lineUserId, { lock: true });
  if (!lead || lead.status === 'blocked') return [];
  await tx.leads.setStatus(lead.id, 'blocked', at);
  if (sequences) await unfollowed(tx, sequences, lead.id, at);
  await tx.history.append(leadHistoryDiff(lead, { ...lead, status: 'blocked' }, { at, actor: SYSTEM_ACTOR }));
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
  deps: IngestDeps,
): Promise<OutboxEntry[]> {
  const { policy, sequences } = deps;
  // A first contact (or a lead with other events in the same batch): create or read the lead,
  // queue what a new lead needs first (profile, card), then record the message like any other.
  const { lead, entries } = await leadFor(tx, lineUserId, 'message', at);
  await tx.outbox.enqueue(entries);
  const keyword = sequences && !lead.erasedAt ? keywordOf(sequences, event.content, lead) : null;
  if (sequences && keyword) {
    return optKeyword(tx, sequences, lead, {
      match: keyword,
      content: event.content,
      lineMessageId: event.lineMessageId,
      sentAt: event.timestamp,
      replyToken: event.replyToken,
      at,
    });
  }
  await recordLeadMessages(
    tx,
    [
      {
        lead,
        lineMessageId: event.lineMessageId,
        content: event.content,
        sentAt: event.timestamp,
        replyToken: event.replyToken,
      },
    ],
    at,
    policy,
  );
  return sequences ? pauseOnReply(tx, sequences, [{ leadId: lead.id, sentAt: event.timestamp }], at) : [];
}

async function onPostback(
  tx: Repos,
  event: Extract<InboundLineEvent, { type: 'postback' }>,
  lineUserId: string,
  at: Date,
  sequences: SequenceSettings | undefined,
): Promise<OutboxEntry[]> {
  if (!sequences) return [];
  // Only a lead we know can answer our questionnaire; anything else is stored and ignored.
  const lead = await tx.leads.findByLineUserId(lineUserId, { lock: true });
  if (!lead) return [];
  return answerPostback(tx, sequences, lead, { data: event.data, replyToken: event.replyToken, at });
}

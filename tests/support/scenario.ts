import { randomUUID } from 'node:crypto';
import { followEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import type { FakeSlackMessage } from '../../adapters/slack/fake/fake-slack-api.ts';
import { slashCommandBody } from '../../adapters/slack/fake/slack-client-requests.ts';
import { queryRows, sleep } from './db-peek.ts';
import { blockAction, findElement } from './slack-payloads.ts';
import type { TestApp } from './test-app.ts';

export interface LeadCard {
  card: FakeSlackMessage;
  /** The owner's Slack user ID, or 'team'. */
  owner: string;
}

/** Waits for the lead's current Slack thread (its card) to exist, in the owner's DM or the team channel. */
export async function waitForCard(app: TestApp, lineUserId: string, timeoutMs = 20_000): Promise<LeadCard> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [thread] = await queryRows<{ channel_id: string; thread_ts: string; target: string }>(
      app.service,
      `select t.channel_id, t.thread_ts, t.target from lead_threads t join leads l on l.id = t.lead_id
       where l.line_user_id = '${lineUserId}' and t.target = coalesce(l.owner_id, 'team')`,
    );
    const card =
      thread && app.slack.messages.find((m) => m.channel === thread.channel_id && m.ts === thread.thread_ts);
    if (card && thread) return { card, owner: thread.target };
    // The pause between two looks for the card, not a wait for time: the loop ends when it exists.
    await sleep(20);
  }
  throw new Error(`no lead card for ${lineUserId}`);
}

/** Adds the account as a friend on LINE and waits for the lead card. */
export async function befriend(app: TestApp, lineUserId: string, name?: string): Promise<LeadCard> {
  if (name) app.line.setProfile(lineUserId, { displayName: name });
  const res = await app.lineWebhook([followEvent(app.line, lineUserId)]);
  if (res.status !== 200) throw new Error(`follow webhook answered ${res.status}`);
  return waitForCard(app, lineUserId);
}

/** The rep types in the lead's thread: the message lands in (fake) Slack and Slack sends us the event. */
export function repReply(
  app: TestApp,
  card: FakeSlackMessage,
  user: string,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<Response> {
  const posted = app.slack.userPost({ channel: card.channel, user, text, threadTs: card.ts });
  return app.slackEvent({
    type: 'message',
    channel: card.channel,
    channel_type: 'im',
    user,
    text,
    ts: posted.ts,
    thread_ts: card.ts,
    ...extra,
  });
}

export async function leadIdOf(app: TestApp, lineUserId: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    app.service,
    `select id from leads where line_user_id = '${lineUserId}'`,
  );
  if (!row) throw new Error(`no lead for ${lineUserId}`);
  return row.id;
}

/** The whole answer to a slash command (`app.slashCommand` keeps only its text). */
export async function slashCommandAnswer(
  app: TestApp,
  userId: string,
  text: string,
): Promise<{ text?: string; blocks?: unknown[] }> {
  const res = await app.slackRequest(
    slashCommandBody({
      command: app.config.SLACK_COMMAND,
      text,
      userId,
      channelId: 'C0SOMEWHERE',
      responseUrl: app.slack.responseUrl(),
      triggerId: `trigger.${randomUUID()}`,
    }),
    'application/x-www-form-urlencoded',
  );
  if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
  return (await res.json()) as { text?: string; blocks?: unknown[] };
}

/** Presses the element `actionId` rendered for `leadId` on `message`, as Slack sends the press. */
export async function pressOn(
  app: TestApp,
  userId: string,
  message: FakeSlackMessage,
  actionId: string,
  leadId: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const { element, blockId } = findElement(message, actionId, leadId);
  const res = await app.interact(
    blockAction(userId, message, { ...element, block_id: blockId, ...extra }, app.slack.responseUrl()),
  );
  if (res.status !== 200) throw new Error(`the press of ${actionId} answered ${res.status}`);
}

// In-memory Slack workspace behind the fake Web API: message state and the per-method semantics.
// Kept free of HTTP so the answers can be reasoned about (and reused) without a server.
import type { FakeSlackMessage, FakeSlackMetadata, FakeSlackUser } from './fake-slack-api.ts';
import { pageOf } from './slack-message-pages.ts';
import {
  checkMessageContent,
  checkMetadata,
  checkView,
  isImplementedMethod,
  parseArgs,
  type RuleViolation,
  type SlackArgs,
  type SlackMethod,
} from './slack-payload-rules.ts';

export type SlackResult = { ok: boolean } & Record<string, unknown>;

export interface WorkspaceOptions {
  botUserId: string;
  botId: string;
  teamId: string;
}

export const WORKSPACE_URL = 'https://fake-workspace.slack.com/';
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

function fail(error: string, errors: string[] = []): SlackResult {
  if (errors.length === 0) return { ok: false, error };
  // Real Slack puts details in both places; the SDK logs response_metadata.messages, tests read `errors`.
  return { ok: false, error, errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } };
}
const violation = (v: RuleViolation) => fail(v.error, v.errors);
const isEmptyObject = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

export function createFakeWorkspace(opts: WorkspaceOptions) {
  const messages: FakeSlackMessage[] = [];
  // channel + ts -> message, and channel + thread_ts -> its replies in order, so a post stays O(1)
  // with hundreds of thousands of messages (the benchmarks). Messages leave through remove() only.
  const byTs = new Map<string, FakeSlackMessage>();
  const repliesOf = new Map<string, FakeSlackMessage[]>();
  const tsKey = (channel: string, ts: string) => `${channel}\u0000${ts}`;
  const users = new Map<string, FakeSlackUser>();
  const dmByUser = new Map<string, string>();
  const userByDm = new Map<string, string>();
  const views = new Map<string, Record<string, unknown>>();
  let lastTsMicros = 0;
  let seq = 0;

  users.set(opts.botUserId, { id: opts.botUserId, name: 'fakebot', realName: 'Fake Bot', isBot: true });

  // Slack ts values are "<seconds>.<6 digits>" and unique per channel; strictly increasing covers both.
  function nextTs(): string {
    lastTsMicros = Math.max(Date.now() * 1000, lastTsMicros + 1);
    return `${Math.floor(lastTsMicros / 1e6)}.${String(lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  function dmChannelOf(userId: string): string {
    const known = dmByUser.get(userId);
    if (known) return known;
    // Derived from the user id so tests can predict it; fall back to a counter on the rare U/W clash.
    let id = `D${userId.slice(1)}`;
    while (userByDm.has(id)) id = `D${String(++seq).padStart(10, '0')}`;
    dmByUser.set(userId, id);
    userByDm.set(id, userId);
    return id;
  }

  // Only posting methods accept a user id in `channel` (Slack opens the bot DM); the rest need a real channel id.
  function resolveChannel(channel: string, allowUserId: boolean): string | undefined {
    if (CHANNEL_ID.test(channel)) return channel;
    if (allowUserId && USER_ID.test(channel)) return dmChannelOf(channel);
    return undefined;
  }

  function findMessage(channel: string, ts: string): FakeSlackMessage | undefined {
    return byTs.get(tsKey(channel, ts));
  }

  /** Every message goes in here; only non-ephemeral ones can be found by channel and ts. */
  function store(message: FakeSlackMessage): void {
    messages.push(message);
    if (message.ephemeralFor !== undefined) return;
    byTs.set(tsKey(message.channel, message.ts), message);
    if (message.threadTs !== undefined && message.threadTs !== message.ts) {
      const key = tsKey(message.channel, message.threadTs);
      const replies = repliesOf.get(key);
      if (replies) replies.push(message);
      else repliesOf.set(key, [message]);
    }
  }

  /** Takes a message out (chat.delete, or the sandbox removing a response_url message). */
  function remove(message: FakeSlackMessage): void {
    const index = messages.indexOf(message);
    if (index >= 0) messages.splice(index, 1);
    if (message.ephemeralFor !== undefined) return;
    byTs.delete(tsKey(message.channel, message.ts));
    if (message.threadTs !== undefined) {
      const replies = repliesOf.get(tsKey(message.channel, message.threadTs));
      const at = replies?.indexOf(message) ?? -1;
      if (replies && at >= 0) replies.splice(at, 1);
    }
  }

  // Replying to a reply lands in the parent's thread, as in Slack; unknown thread_ts is accepted as-is.
  function threadRoot(channel: string, threadTs: string | undefined): string | undefined {
    if (threadTs === undefined) return undefined;
    return findMessage(channel, threadTs)?.threadTs ?? threadTs;
  }

  /** Mirrors conversations.replies: no ephemeral messages, parent first. */
  function thread(channel: string, threadTs: string): FakeSlackMessage[] {
    const parent = findMessage(channel, threadTs);
    const replies = repliesOf.get(tsKey(channel, threadTs)) ?? [];
    return parent ? [parent, ...replies] : [...replies];
  }

  /** Slack's summary of a thread on its parent message; undefined for a message nobody replied to. */
  function threadSummary(m: FakeSlackMessage): Record<string, unknown> | undefined {
    if (m.threadTs !== undefined) return undefined;
    const replies = thread(m.channel, m.ts).slice(1);
    const last = replies.at(-1);
    if (!last) return undefined;
    const users = [...new Set(replies.map((r) => r.user).filter((u) => u !== undefined))];
    return {
      thread_ts: m.ts,
      reply_count: replies.length,
      reply_users_count: users.length,
      reply_users: users,
      latest_reply: last.ts,
    };
  }

  // Slack's read methods leave metadata out unless include_all_metadata is set (or the app subscribed
  // to the event type, which the fake does not model): https://docs.slack.dev/messaging/message-metadata
  function toSlackMessage(m: FakeSlackMessage, withMetadata = false): Record<string, unknown> {
    return {
      type: 'message',
      text: m.text ?? '',
      user: m.user,
      bot_id: m.botId,
      team: opts.teamId,
      ts: m.ts,
      ...(m.threadTs !== undefined && { thread_ts: m.threadTs }),
      ...threadSummary(m),
      ...(m.blocks !== undefined && { blocks: m.blocks }),
      // A file share lists its files, as conversations.history and .replies show them.
      ...(m.files !== undefined && {
        files: m.files.map((f) => ({ id: f.id, name: f.name, title: f.title })),
        upload: true,
      }),
      ...(withMetadata && m.metadata !== undefined && { metadata: m.metadata }),
      ...(m.username !== undefined && { username: m.username }),
      ...(m.iconUrl !== undefined && { icons: { image_48: m.iconUrl } }),
      ...(m.iconEmoji !== undefined && { icons: { emoji: m.iconEmoji } }),
      ...(m.updatedAt !== undefined && { edited: { user: m.user, ts: m.ts } }),
      ...(m.reactions.length > 0 && {
        reactions: m.reactions.map((name) => ({ name, count: 1, users: [opts.botUserId] })),
      }),
    };
  }

  function newMessage(
    channel: string,
    args: {
      text?: string;
      blocks?: unknown;
      thread_ts?: string;
      metadata?: unknown;
      username?: string | undefined;
      icon_url?: string | undefined;
      icon_emoji?: string | undefined;
    },
  ): FakeSlackMessage {
    const message: FakeSlackMessage = {
      channel,
      ts: nextTs(),
      user: opts.botUserId,
      botId: opts.botId,
      reactions: [],
    };
    const threadTs = threadRoot(channel, args.thread_ts);
    if (threadTs !== undefined) message.threadTs = threadTs;
    if (args.text !== undefined) message.text = args.text;
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    if (args.metadata !== undefined) message.metadata = args.metadata as FakeSlackMetadata;
    if (args.username) message.username = args.username;
    // Slack takes icon_emoji over icon_url when both are given.
    if (args.icon_emoji) message.iconEmoji = args.icon_emoji;
    else if (args.icon_url) message.iconUrl = args.icon_url;
    return message;
  }

  function storeView(
    view: Record<string, unknown>,
    previous?: Record<string, unknown>,
  ): Record<string, unknown> {
    const id = typeof previous?.id === 'string' ? previous.id : `V${String(++seq).padStart(10, '0')}`;
    const stored = {
      id,
      team_id: opts.teamId,
      state: { values: {} },
      root_view_id: previous?.root_view_id ?? id,
      previous_view_id: null,
      app_id: 'A0FAKEAPP',
      bot_id: opts.botId,
      ...view,
      hash: `${Date.now()}.${++seq}`,
    };
    views.set(id, stored);
    return stored;
  }

  const handlers: { [M in SlackMethod]: (args: SlackArgs<M>) => SlackResult } = {
    'auth.test': () => ({
      ok: true,
      url: WORKSPACE_URL,
      team: 'Fake Workspace',
      user: users.get(opts.botUserId)?.name,
      team_id: opts.teamId,
      user_id: opts.botUserId,
      bot_id: opts.botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (a) => {
      const channel = resolveChannel(a.channel, true);
      if (!channel) return fail('channel_not_found');
      const bad =
        checkMessageContent(a) ?? (a.metadata === undefined ? undefined : checkMetadata(a.metadata));
      if (bad) return violation(bad);
      const message = newMessage(channel, a);
      store(message);
      return { ok: true, channel, ts: message.ts, message: toSlackMessage(message) };
    },
    'chat.postEphemeral': (a) => {
      const channel = resolveChannel(a.channel, true);
      if (!channel) return fail('channel_not_found');
      if (!USER_ID.test(a.user)) return fail('user_not_found');
      const bad = checkMessageContent(a);
      if (bad) return violation(bad);
      const message = { ...newMessage(channel, a), ephemeralFor: a.user };
      store(message);
      return { ok: true, message_ts: message.ts };
    },
    'chat.update': (a) => {
      const channel = resolveChannel(a.channel, false);
      if (!channel) return fail('channel_not_found');
      const message = findMessage(channel, a.ts);
      if (!message) return fail('message_not_found');
      // Omitted metadata is kept and an empty object removes it (chat.update's documented rule).
      const clearsMetadata = isEmptyObject(a.metadata);
      const bad =
        checkMessageContent(a) ??
        (a.metadata === undefined || clearsMetadata ? undefined : checkMetadata(a.metadata));
      if (bad) return violation(bad);
      // Slack keeps fields the update omits; an empty blocks array is how callers remove blocks.
      if (a.text !== undefined) message.text = a.text;
      if (Array.isArray(a.blocks)) {
        if (a.blocks.length > 0) message.blocks = a.blocks;
        else delete message.blocks;
      }
      if (clearsMetadata) delete message.metadata;
      else if (a.metadata !== undefined) message.metadata = a.metadata as FakeSlackMetadata;
      message.updatedAt = Date.now();
      return {
        ok: true,
        channel,
        ts: message.ts,
        text: message.text ?? '',
        message: toSlackMessage(message),
      };
    },
    'chat.delete': (a) => {
      const channel = resolveChannel(a.channel, false);
      if (!channel) return fail('channel_not_found');
      const message = findMessage(channel, a.ts);
      if (!message) return fail('message_not_found');
      remove(message);
      return { ok: true, channel, ts: a.ts };
    },
    'chat.getPermalink': (a) => {
      const channel = resolveChannel(a.channel, false);
      if (!channel) return fail('channel_not_found');
      const message = findMessage(channel, a.message_ts);
      if (!message) return fail('message_not_found');
      const query = message.threadTs ? `?thread_ts=${message.threadTs}&cid=${channel}` : '';
      return {
        ok: true,
        channel,
        permalink: `${WORKSPACE_URL}archives/${channel}/p${message.ts.replace('.', '')}${query}`,
      };
    },
    'reactions.add': (a) => {
      const channel = resolveChannel(a.channel, false);
      if (!channel) return fail('channel_not_found');
      const message = findMessage(channel, a.timestamp);
      if (!message) return fail('message_not_found');
      if (message.reactions.includes(a.name)) return fail('already_reacted');
      message.reactions.push(a.name);
      return { ok: true };
    },
    'reactions.remove': (a) => {
      const channel = resolveChannel(a.channel, false);
      if (!channel) return fail('channel_not_found');
      const message = findMessage(channel, a.timestamp);
      if (!message) return fail('message_not_found');
      const index = message.reactions.indexOf(a.name);
      if (index < 0) return fail('no_reaction');
      message.reactions.splice(index, 1);
      return { ok: true };
    },
    'users.info': (a) => {
      const user = users.get(a.user);
      if (!user) return fail('user_not_found');
      const realName = user.realName ?? user.name;
      const displayName = user.displayName ?? '';
      return {
        ok: true,
        user: {
          id: user.id,
          team_id: opts.teamId,
          name: user.name,
          deleted: false,
          real_name: realName,
          is_bot: user.isBot ?? false,
          is_app_user: false,
          profile: {
            display_name: displayName,
            display_name_normalized: displayName,
            real_name: realName,
            real_name_normalized: realName,
            image_72: `${WORKSPACE_URL}avatars/${user.id}_72.png`,
            team: opts.teamId,
          },
        },
      };
    },
    'conversations.history': (a) => {
      const channel = resolveChannel(a.channel, false);
      if (!channel) return fail('channel_not_found');
      const topLevel = messages.filter(
        (m) => m.channel === channel && m.threadTs === undefined && m.ephemeralFor === undefined,
      );
      const page = pageOf(topLevel, a, { order: 'newest-first', defaultLimit: 100, maxLimit: 999 });
      if (!page.ok) return fail(page.error);
      return {
        ok: true,
        messages: page.items.map((m) => toSlackMessage(m, a.include_all_metadata)),
        has_more: page.hasMore,
        pin_count: 0,
        response_metadata: { next_cursor: page.nextCursor },
      };
    },
    'conversations.replies': (a) => {
      const channel = resolveChannel(a.channel, false);
      if (!channel) return fail('channel_not_found');
      // Any message of the thread names it, as on Slack; a message with no replies is a thread of one.
      const named = findMessage(channel, a.ts);
      if (!named) return fail('thread_not_found');
      const page = pageOf(thread(channel, named.threadTs ?? named.ts), a, {
        order: 'oldest-first',
        defaultLimit: 1000,
        maxLimit: 1000,
      });
      if (!page.ok) return fail(page.error);
      return {
        ok: true,
        messages: page.items.map((m) => toSlackMessage(m, a.include_all_metadata)),
        has_more: page.hasMore,
        response_metadata: { next_cursor: page.nextCursor },
      };
    },
    'conversations.open': (a) => {
      if (a.channel !== undefined) {
        return CHANNEL_ID.test(a.channel)
          ? { ok: true, channel: { id: a.channel } }
          : fail('channel_not_found');
      }
      const ids = (a.users ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      if (ids.length !== 1) return fail('not_implemented_in_fake', ['only single-user DMs are supported']);
      const [user] = ids as [string];
      if (!USER_ID.test(user)) return fail('user_not_found');
      return { ok: true, channel: { id: dmChannelOf(user) } };
    },
    'views.open': (a) => {
      const bad = checkView(a.view);
      return bad ? violation(bad) : { ok: true, view: storeView(a.view as Record<string, unknown>) };
    },
    'views.push': (a) => {
      const bad = checkView(a.view);
      return bad ? violation(bad) : { ok: true, view: storeView(a.view as Record<string, unknown>) };
    },
    'views.update': (a) => {
      const previous = a.view_id
        ? views.get(a.view_id)
        : [...views.values()].find((v) => v.external_id !== undefined && v.external_id === a.external_id);
      if (!previous) return fail('not_found');
      if (a.hash !== undefined && a.hash !== previous.hash) return fail('hash_conflict');
      const bad = checkView(a.view);
      return bad
        ? violation(bad)
        : { ok: true, view: storeView(a.view as Record<string, unknown>, previous) };
    },
  };

  function dispatch<M extends SlackMethod>(method: M, body: Record<string, unknown>): SlackResult {
    const parsed = parseArgs(method, body);
    return parsed.ok ? handlers[method](parsed.args) : violation(parsed.violation);
  }

  /** A person's message (not the bot's), as the Slack client would post it; events are the caller's job. */
  function userPost(args: {
    channel: string;
    user: string;
    text: string;
    threadTs?: string;
  }): FakeSlackMessage {
    const message: FakeSlackMessage = {
      ...newMessage(args.channel, {
        text: args.text,
        ...(args.threadTs ? { thread_ts: args.threadTs } : {}),
      }),
      user: args.user,
    };
    delete message.botId;
    store(message);
    return message;
  }

  return {
    messages,
    users,
    dmChannelOf,
    thread,
    remove,
    find: findMessage,
    userPost,
    handle(method: string, body: Record<string, unknown>): SlackResult {
      return isImplementedMethod(method) ? dispatch(method, body) : fail('unknown_method');
    },
    reset(): void {
      messages.length = 0;
      byTs.clear();
      repliesOf.clear();
      views.clear();
    },
  };
}

export type FakeWorkspace = ReturnType<typeof createFakeWorkspace>;

// The sandbox: the real service with the fake LINE and Slack servers, driven from a browser page.
// Everything it does to the product goes through the production paths: signed webhooks into
// /webhooks/line, signed requests into /slack/events, the real SDK clients calling the fakes,
// and the real scheduler's runOnce for jobs. It adds no branch to the product code; it only
// chooses the configuration (base URLs, an in-memory database, a clock it can move forward).
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Config } from '../../src/config.ts';
import { nextOpening, zonedParts, zonedTimeToInstant } from '../../src/domain/business-calendar.ts';
import { lastFireBetween } from '../../src/scheduler.ts';
import { businessCalendarOf, type Service } from '../../src/service.ts';
import type { FakeLineApi } from '../line/fake/fake-line-api.ts';
import {
  followEvent,
  imageMessageEvent,
  locationMessageEvent,
  postbackEvent,
  type ReplyTokenIssuer,
  signLineBody,
  stickerMessageEvent,
  textMessageEvent,
  unfollowEvent,
  webhookBody,
} from '../line/fake/line-webhook-events.ts';
import type { FakeSlackApi, FakeSlackMessage } from '../slack/fake/fake-slack-api.ts';
import {
  eventCallback,
  interaction,
  messageBlockAction,
  type SignedRequest,
  slashCommand,
  viewSubmissionPayload,
} from '../slack/fake/slack-client-requests.ts';
import type { SandboxClock } from './sandbox-clock.ts';
import { type SlackTextForm, typedSlackText } from './typed-slack-text.ts';

export interface Persona {
  userId: string;
  displayName: string;
  /** The profile picture the bot fetches (an address that serves nothing: the page draws it). */
  pictureUrl: string;
  /** Has added the official account as a friend (and not blocked it since). */
  friend: boolean;
  /** Has blocked the account after being a friend. */
  blocked: boolean;
}

/** One bubble in the LINE pane: what the lead sent, or what the bot sent to the lead. */
export interface LineItem {
  id: number;
  userId: string;
  from: 'lead' | 'bot' | 'system';
  at: string;
  /** A LINE message object (text, sticker, image, template, flex...) or a system note. */
  message: Record<string, unknown>;
  /** How it reached the lead: a reply (free, by reply token), a push, or a multicast to several leads. */
  via?: 'reply' | 'push' | 'multicast';
}

/** An ephemeral answer only one person sees (slash command answers, button feedback). */
export interface Ephemeral {
  id: string;
  userId: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  at: string;
}

export interface OpenView {
  viewId: string;
  view: Record<string, unknown>;
  /** Per input block: the error the app answered with (response_action: errors). */
  errors: Record<string, string>;
}

export interface JobRun {
  at: string;
  job: string;
  fireAt: string;
  /** False when the fire had already been run (by this replica or another). */
  ran: boolean;
  /**
   * Fires in a row of this job with this outcome, `fireAt` being the latest: the every-minute jobs
   * (speed-to-lead, step dispatch) would otherwise fill the history within minutes.
   */
  times: number;
}

export interface SandboxPerson {
  id: string;
  name: string;
  /** The product's view: manager, rep or null (not registered as staff). */
  role: 'manager' | 'rep' | null;
}

export type ClockJump = '5m' | '30m' | '1h' | 'next-morning' | '1w';

export class SandboxError extends Error {}

/** Where an interaction came from, so that answers posted to its response_url land beside it. */
interface ResponseOrigin {
  userId: string;
  channel: string;
  messageTs?: string;
  /**
   * The ephemeral answer a replace_original replaces: the one a button was on, or a slash
   * command's latest answer (its ack, e.g. 集計中…, until the response_url's answer takes its place).
   */
  ephemeralId?: string;
  /**
   * A slash command: response_url answers that arrive before its ack has been read wait for it,
   * so they are shown after it (and a replace_original replaces it) as in Slack.
   */
  command?: { acked: boolean; early: unknown[] };
}

const JUMP_MINUTES: Record<Exclude<ClockJump, 'next-morning'>, number> = {
  '5m': 5,
  '30m': 30,
  '1h': 60,
  '1w': 7 * 24 * 60,
};

export class Sandbox {
  readonly events = new EventEmitter();
  readonly personas = new Map<string, Persona>();
  readonly lineLog: LineItem[] = [];
  readonly ephemerals: Ephemeral[] = [];
  readonly views = new Map<string, OpenView[]>();
  readonly jobRuns: JobRun[] = [];
  readonly people: { id: string; name: string }[] = [];
  /** Sandbox time of each Slack message ("channel:ts"), taken when it was posted. */
  private readonly slackTimes = new Map<string, Date>();
  serviceUrl = '';
  private version = 0;
  private lineSeq = 0;
  private seenPushes = 0;
  private seenReplies = 0;
  private seenMulticasts = 0;
  private readonly replyTokenOwner = new Map<string, string>();
  private readonly triggerOwner = new Map<string, string>();
  private readonly responseOrigins = new Map<string, ResponseOrigin>();
  private lastJobCheck: Date;
  private ticker: NodeJS.Timeout | undefined;
  private jobsRunning: Promise<void> = Promise.resolve();
  private readonly unsubscribe: (() => void)[] = [];

  private readonly parts: {
    service: Service;
    config: Config;
    clock: SandboxClock;
    line: FakeLineApi;
    slack: FakeSlackApi;
  };

  constructor(parts: Sandbox['parts']) {
    this.parts = parts;
    this.events.setMaxListeners(0);
    this.lastJobCheck = parts.clock.now();
    this.unsubscribe.push(
      parts.line.onRequest(() => {
        this.collectLineDeliveries();
        this.changed();
      }),
      parts.slack.onCall((call) => {
        const posted = call.response as { ok?: boolean; channel?: string; ts?: string } | undefined;
        if (call.method === 'chat.postMessage' && posted?.ok && posted.channel && posted.ts) {
          this.slackTimes.set(`${posted.channel}:${posted.ts}`, this.clock.now());
        }
        if (call.method === 'files.completeUploadExternal' && posted?.ok) this.timeFileShares(call.response);
        this.trackViews(call.method, call.body, call.response);
        this.changed();
      }),
      parts.slack.onResponse((response) => {
        this.applyResponse(response.id, response.body);
        this.changed();
      }),
    );
  }

  get clock(): SandboxClock {
    return this.parts.clock;
  }

  get config(): Config {
    return this.parts.config;
  }

  get slack(): FakeSlackApi {
    return this.parts.slack;
  }

  /** Starts the job ticker: due fires run every `intervalMs` of real time, as cron would run them. */
  start(serviceUrl: string, intervalMs = 15_000): void {
    this.serviceUrl = serviceUrl;
    this.ticker = setInterval(() => void this.runDueJobs().catch(() => {}), intervalMs);
    this.ticker.unref();
  }

  stop(): void {
    clearInterval(this.ticker);
    for (const off of this.unsubscribe) off();
    this.events.emit('close');
  }

  /** Tells the page something changed (it then reloads the state). */
  changed(): void {
    this.version += 1;
    this.events.emit('change', this.version);
  }

  get currentVersion(): number {
    return this.version;
  }

  /** When a Slack message was posted, on the sandbox's clock. */
  slackTimeOf(channel: string, ts: string): Date {
    return this.slackTimes.get(`${channel}:${ts}`) ?? this.clock.fromReal(Number(ts) * 1000);
  }

  // --- people -------------------------------------------------------------------------------

  addPerson(id: string, name: string): void {
    this.parts.slack.addUser({ id, name: name.toLowerCase(), realName: name, displayName: name });
    if (!this.people.some((p) => p.id === id)) this.people.push({ id, name });
  }

  /** Text a person typed, as Slack would deliver it to the app (escaped, mentions resolved). */
  asSlackWouldSend(typed: string, form: SlackTextForm): string {
    return typedSlackText(typed.trim(), this.people, form);
  }

  async peopleWithRoles(): Promise<SandboxPerson[]> {
    const staff = await this.parts.service.store.staff.listActive();
    const roles = new Map(staff.map((s) => [s.slackUserId, s.role]));
    return this.people.map((person) => ({ ...person, role: roles.get(person.id) ?? null }));
  }

  // --- LINE: the lead's phone -----------------------------------------------------------------

  /** A new person who may add the account as a friend; their LINE profile is what the bot will fetch. */
  createPersona(displayName: string): Persona {
    const name = displayName.trim();
    if (name === '' || name.length > 20) throw new SandboxError('name must be 1 to 20 characters');
    const userId = `U${randomBytes(16).toString('hex')}`;
    const persona: Persona = {
      userId,
      displayName: name,
      pictureUrl: `https://profile.line-scdn.net/sandbox/${userId}`,
      friend: false,
      blocked: false,
    };
    this.personas.set(persona.userId, persona);
    this.parts.line.setProfile(persona.userId, {
      displayName: name,
      pictureUrl: persona.pictureUrl,
      language: 'ja',
    });
    this.changed();
    return persona;
  }

  private persona(userId: string): Persona {
    const persona = this.personas.get(userId);
    if (!persona) throw new SandboxError(`no such LINE user: ${userId}`);
    return persona;
  }

  async follow(userId: string): Promise<void> {
    const persona = this.persona(userId);
    if (persona.friend) throw new SandboxError('already a friend');
    const wasBlocked = persona.blocked;
    this.parts.line.setBlocked(userId, false);
    await this.shownFirst(this.note(userId, wasBlocked ? 'unblocked' : 'followed'), () =>
      this.lineWebhook(
        followEvent(this.replyTokensFor(userId), userId, {
          isUnblocked: wasBlocked,
          timestamp: this.nowMs(),
        }),
      ),
    );
    persona.friend = true;
    persona.blocked = false;
  }

  async unfollow(userId: string): Promise<void> {
    const persona = this.persona(userId);
    if (!persona.friend) throw new SandboxError('only a friend can block the account');
    await this.shownFirst(this.note(userId, 'blocked'), () =>
      this.lineWebhook(unfollowEvent(userId, { timestamp: this.nowMs() })),
    );
    persona.friend = false;
    persona.blocked = true;
    this.parts.line.setBlocked(userId, true);
  }

  async sendLine(
    userId: string,
    input: { type: 'text'; text: string } | { type: 'sticker' } | { type: 'image' } | { type: 'location' },
  ): Promise<void> {
    const persona = this.persona(userId);
    if (!persona.friend) throw new SandboxError('add the account as a friend first');
    const line = this.replyTokensFor(userId);
    const opts = { timestamp: this.nowMs() };
    let event: Parameters<typeof webhookBody>[0][number];
    let shown: Record<string, unknown>;
    switch (input.type) {
      case 'text': {
        const text = input.text.trim();
        if (text === '' || text.length > 5000) throw new SandboxError('text must be 1 to 5000 characters');
        event = textMessageEvent(line, userId, text, opts);
        shown = { type: 'text', text };
        break;
      }
      case 'sticker':
        event = stickerMessageEvent(line, userId, '446', '1988', opts);
        shown = { type: 'sticker', packageId: '446', stickerId: '1988' };
        break;
      case 'image':
        event = imageMessageEvent(line, userId, opts);
        shown = { type: 'image' };
        break;
      case 'location':
        event = locationMessageEvent(
          line,
          userId,
          '現在地',
          '東京都千代田区丸の内1-9-1',
          35.6812,
          139.7671,
          opts,
        );
        shown = { type: 'location', title: '現在地', address: '東京都千代田区丸の内1-9-1' };
        break;
    }
    await this.shownFirst(this.pushLine({ userId, from: 'lead', message: shown }), () =>
      this.lineWebhook(event),
    );
  }

  /**
   * A tap on a postback action (quick reply, template or flex button). As in the LINE app, the
   * action's displayText, if it has one, appears as the lead's message; the bot gets only the data.
   */
  async postback(userId: string, data: string, displayText?: string): Promise<void> {
    const persona = this.persona(userId);
    if (!persona.friend) throw new SandboxError('add the account as a friend first');
    const event = postbackEvent(this.replyTokensFor(userId), userId, data, { timestamp: this.nowMs() });
    if (!displayText) return this.lineWebhook(event);
    await this.shownFirst(
      this.pushLine({ userId, from: 'lead', message: { type: 'text', text: displayText } }),
      () => this.lineWebhook(event),
    );
  }

  /**
   * What the lead did is on the phone before the bot can answer it, as in the LINE app (the
   * service may reply before its webhook answer reaches us); a request the service refused is taken
   * back off the phone, so a failed action changes nothing there.
   */
  private async shownFirst(item: LineItem, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (error) {
      const index = this.lineLog.indexOf(item);
      if (index >= 0) this.lineLog.splice(index, 1);
      this.changed();
      throw error;
    }
  }

  /** Tokens from the fake LINE API, remembered per lead: a reply names only its token. */
  private replyTokensFor(userId: string): ReplyTokenIssuer {
    return {
      issueReplyToken: () => {
        const token = this.parts.line.issueReplyToken();
        this.replyTokenOwner.set(token, userId);
        return token;
      },
    };
  }

  private async lineWebhook(event: Parameters<typeof webhookBody>[0][number]): Promise<void> {
    const raw = JSON.stringify(webhookBody([event]));
    const res = await fetch(`${this.serviceUrl}/webhooks/line`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-line-signature': signLineBody(raw, this.parts.config.LINE_CHANNEL_SECRET),
      },
      body: raw,
    });
    if (!res.ok) throw new SandboxError(`the service answered the LINE webhook with ${res.status}`);
  }

  private note(userId: string, what: 'followed' | 'unblocked' | 'blocked'): LineItem {
    return this.pushLine({ userId, from: 'system', message: { type: 'system', event: what } });
  }

  private pushLine(item: Omit<LineItem, 'id' | 'at'>, at = this.clock.now()): LineItem {
    const added: LineItem = { id: ++this.lineSeq, at: at.toISOString(), ...item };
    this.lineLog.push(added);
    this.changed();
    return added;
  }

  /**
   * Copies what the bot sent (pushes, multicasts to each recipient's phone, and replies by token)
   * into the LINE pane's log.
   */
  private collectLineDeliveries(): void {
    const { pushes, replies, multicasts } = this.parts.line;
    for (; this.seenPushes < pushes.length; this.seenPushes++) {
      const push = pushes[this.seenPushes];
      if (!push) continue;
      for (const message of push.messages) {
        this.pushLine({ userId: push.to, from: 'bot', message, via: 'push' }, this.clock.fromReal(push.at));
      }
    }
    for (; this.seenReplies < replies.length; this.seenReplies++) {
      const reply = replies[this.seenReplies];
      const userId = reply && this.replyTokenOwner.get(reply.replyToken);
      if (!reply || !userId) continue;
      for (const message of reply.messages) {
        this.pushLine({ userId, from: 'bot', message, via: 'reply' }, this.clock.fromReal(reply.at));
      }
    }
    for (; this.seenMulticasts < multicasts.length; this.seenMulticasts++) {
      const multicast = multicasts[this.seenMulticasts];
      if (!multicast) continue;
      for (const userId of multicast.to) {
        for (const message of multicast.messages) {
          this.pushLine(
            { userId, from: 'bot', message, via: 'multicast' },
            this.clock.fromReal(multicast.at),
          );
        }
      }
    }
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  // --- Slack: the staff's client ----------------------------------------------------------------

  /** A person types in a channel or thread; the app hears it through a signed Events API callback. */
  async postSlackMessage(userId: string, channel: string, text: string, threadTs?: string): Promise<void> {
    const trimmed = text.trim();
    if (trimmed === '') throw new SandboxError('the message is empty');
    const posted: FakeSlackMessage = this.parts.slack.userPost({
      channel,
      user: userId,
      text: trimmed,
      ...(threadTs ? { threadTs } : {}),
    });
    this.slackTimes.set(`${channel}:${posted.ts}`, this.clock.now());
    this.changed();
    const event = {
      type: 'message',
      channel,
      user: userId,
      text: trimmed,
      ts: posted.ts,
      event_ts: posted.ts,
      channel_type: channel.startsWith('D') ? 'im' : 'channel',
      ...(posted.threadTs ? { thread_ts: posted.threadTs } : {}),
    };
    await this.slackRequest(eventCallback(event, this.parts.config.SLACK_SIGNING_SECRET));
  }

  async slashCommand(userId: string, channel: string, text: string): Promise<void> {
    const command: NonNullable<ResponseOrigin['command']> = { acked: false, early: [] };
    const responseId = this.newResponse({ userId, channel, command });
    const triggerId = this.newTrigger(userId);
    const request = slashCommand(
      {
        command: this.parts.config.SLACK_COMMAND,
        text: text.trim(),
        userId,
        channelId: channel,
        responseUrl: this.parts.slack.responseUrl(responseId),
        triggerId,
      },
      this.parts.config.SLACK_SIGNING_SECRET,
    );
    // The ack is shown as of the command: what the app posts while answering comes after it.
    const sentAt = this.clock.now();
    let answer: unknown;
    try {
      answer = await this.slackRequest(request);
    } finally {
      command.acked = true;
      if (answer) this.applyResponse(responseId, answer, sentAt);
      for (const early of command.early.splice(0)) this.applyResponse(responseId, early);
    }
  }

  /** Uses a button or select on a message (or on an ephemeral answer). */
  async blockAction(args: {
    userId: string;
    channel: string;
    messageTs?: string;
    ephemeralId?: string;
    action: Record<string, unknown>;
  }): Promise<void> {
    const ephemeral = args.ephemeralId ? this.ephemerals.find((e) => e.id === args.ephemeralId) : undefined;
    if (args.ephemeralId && !ephemeral) throw new SandboxError('that message is gone');
    const messageTs = ephemeral ? `${Math.floor(Date.parse(ephemeral.at) / 1000)}.000000` : args.messageTs;
    if (!messageTs) throw new SandboxError('messageTs or ephemeralId is required');
    const responseId = this.newResponse({
      userId: args.userId,
      channel: args.channel,
      ...(ephemeral ? { ephemeralId: ephemeral.id } : { messageTs }),
    });
    const payload = messageBlockAction({
      userId: args.userId,
      channelId: args.channel,
      messageTs,
      isEphemeral: ephemeral !== undefined,
      action: args.action,
      responseUrl: this.parts.slack.responseUrl(responseId),
      triggerId: this.newTrigger(args.userId),
    });
    await this.slackRequest(interaction(payload, this.parts.config.SLACK_SIGNING_SECRET));
  }

  /** Submits a modal; the app's answer (errors, update, push, clear) is applied as Slack would. */
  async submitView(
    userId: string,
    viewId: string,
    values: Record<string, Record<string, unknown>>,
  ): Promise<void> {
    const stack = this.views.get(userId) ?? [];
    const open = stack.find((v) => v.viewId === viewId);
    if (!open) throw new SandboxError('that modal is no longer open');
    const payload = viewSubmissionPayload({
      userId,
      view: open.view,
      values,
      triggerId: this.newTrigger(userId),
    });
    const answer = (await this.slackRequest(interaction(payload, this.parts.config.SLACK_SIGNING_SECRET))) as
      | { response_action?: string; errors?: Record<string, string>; view?: Record<string, unknown> }
      | undefined;
    switch (answer?.response_action) {
      case 'errors':
        open.errors = answer.errors ?? {};
        break;
      case 'update':
        if (answer.view) Object.assign(open, { view: { ...open.view, ...answer.view }, errors: {} });
        break;
      case 'push':
        if (answer.view)
          stack.push({ viewId: `V${randomUUID().slice(0, 10)}`, view: answer.view, errors: {} });
        break;
      case 'clear':
        this.views.set(userId, []);
        break;
      default:
        this.views.set(
          userId,
          stack.filter((v) => v.viewId !== viewId),
        );
    }
    this.changed();
  }

  closeView(userId: string, viewId: string): void {
    const stack = this.views.get(userId) ?? [];
    this.views.set(
      userId,
      stack.filter((v) => v.viewId !== viewId),
    );
    this.changed();
  }

  private newTrigger(userId: string): string {
    const id = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    this.triggerOwner.set(id, userId);
    return id;
  }

  private newResponse(origin: ResponseOrigin): string {
    const id = `sb${randomBytes(8).toString('hex')}`;
    this.responseOrigins.set(id, origin);
    return id;
  }

  /** Posts a signed request to /slack/events; returns the parsed JSON answer, if any. */
  private async slackRequest(request: SignedRequest): Promise<unknown> {
    const res = await fetch(`${this.serviceUrl}/slack/events`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    const raw = await res.text();
    if (!res.ok) throw new SandboxError(`the service answered Slack's request with ${res.status}`);
    if (raw.trim() === '') return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return { text: raw };
    }
  }

  /** An answer by ack body or response_url: ephemeral, replacing the original, or deleting it. */
  private applyResponse(id: string, body: unknown, at = this.clock.now()): void {
    const origin = this.responseOrigins.get(id);
    if (!origin || typeof body !== 'object' || body === null) return;
    if (origin.command && !origin.command.acked) {
      origin.command.early.push(body);
      return;
    }
    const answer = body as {
      text?: string;
      blocks?: unknown[];
      replace_original?: boolean | string;
      delete_original?: boolean | string;
      response_type?: string;
    };
    const truthy = (v: unknown) => v === true || v === 'true';
    const hasContent = typeof answer.text === 'string' || Array.isArray(answer.blocks);
    if (truthy(answer.delete_original)) {
      this.removeOrigin(origin);
      return;
    }
    if (truthy(answer.replace_original) && (origin.ephemeralId || origin.messageTs)) {
      this.replaceOrigin(origin, answer.text ?? '', answer.blocks);
      return;
    }
    if (!hasContent) return;
    if (answer.response_type === 'in_channel') {
      this.parts.slack.userPost({ channel: origin.channel, user: origin.userId, text: answer.text ?? '' });
      return;
    }
    const ephemeral: Ephemeral = {
      id: `e${randomBytes(6).toString('hex')}`,
      userId: origin.userId,
      channel: origin.channel,
      text: answer.text ?? '',
      at: at.toISOString(),
      ...(Array.isArray(answer.blocks) ? { blocks: answer.blocks } : {}),
    };
    this.ephemerals.push(ephemeral);
    // Slack replaces a command's latest answer when a later one says replace_original.
    if (origin.command) origin.ephemeralId = ephemeral.id;
    this.changed();
  }

  /**
   * The sandbox time of the messages a files.completeUploadExternal shared (the fake posts them
   * itself, with no chat.postMessage call of the app's to time them by).
   */
  private timeFileShares(response: unknown): void {
    const files = (response as { files?: { id?: unknown }[] }).files ?? [];
    for (const file of files) {
      const shared = this.parts.slack.uploads.find((u) => u.fileId === file.id)?.completed;
      const key = shared?.channel && shared.messageTs ? `${shared.channel}:${shared.messageTs}` : null;
      if (key && !this.slackTimes.has(key)) this.slackTimes.set(key, this.clock.now());
    }
  }

  private replaceOrigin(origin: ResponseOrigin, text: string, blocks: unknown[] | undefined): void {
    if (origin.ephemeralId) {
      const ephemeral = this.ephemerals.find((e) => e.id === origin.ephemeralId);
      if (!ephemeral) return;
      ephemeral.text = text;
      if (blocks) ephemeral.blocks = blocks;
      else delete ephemeral.blocks;
    } else {
      const message = this.parts.slack.messages.find(
        (m) => m.channel === origin.channel && m.ts === origin.messageTs,
      );
      if (!message) return;
      message.text = text;
      if (blocks) message.blocks = blocks;
      else delete message.blocks;
      message.updatedAt = Date.now();
    }
    this.changed();
  }

  private removeOrigin(origin: ResponseOrigin): void {
    if (origin.ephemeralId) {
      const index = this.ephemerals.findIndex((e) => e.id === origin.ephemeralId);
      if (index >= 0) this.ephemerals.splice(index, 1);
    } else {
      const { slack } = this.parts;
      const message = slack.messages.find((m) => m.channel === origin.channel && m.ts === origin.messageTs);
      if (message) slack.removeMessage(message);
    }
    this.changed();
  }

  /** Keeps each person's modal stack as views.open / push / update calls succeed. */
  private trackViews(method: string, body: Record<string, unknown>, response: unknown): void {
    const view = (response as { ok?: boolean; view?: Record<string, unknown> } | undefined)?.view;
    if (!view || typeof view.id !== 'string') return;
    if (method === 'views.open' || method === 'views.push') {
      const userId = this.triggerOwner.get(String(body.trigger_id ?? ''));
      if (!userId) return;
      const stack = method === 'views.open' ? [] : (this.views.get(userId) ?? []);
      stack.push({ viewId: view.id, view, errors: {} });
      this.views.set(userId, stack);
    } else if (method === 'views.update') {
      for (const stack of this.views.values()) {
        const open = stack.find((v) => v.viewId === view.id);
        if (open) Object.assign(open, { view, errors: {} });
      }
    }
  }

  // --- time ---------------------------------------------------------------------------------

  /** Moves the clock forward and runs every job whose fire fell in the skipped time. */
  async jump(to: ClockJump): Promise<void> {
    const now = this.clock.now();
    const target =
      to === 'next-morning'
        ? new Date(
            nextOpening(
              startOfNextDay(now, this.parts.config.BUSINESS_TIMEZONE),
              businessCalendarOf(this.parts.config),
            ).getTime() + 60_000,
          )
        : new Date(now.getTime() + JUMP_MINUTES[to] * 60_000);
    this.clock.jumpTo(target);
    this.changed();
    await this.runDueJobs();
  }

  /**
   * Runs, through the scheduler's claim, the latest fire of each job between the last check and
   * now (a jump of a week runs one digest, not five). The every-minute step dispatch runs once too,
   * at the latest minute: it sends the step that came due in the skipped time for each lead and
   * sequence, and times the next one from that send, as the real service does after downtime. Calls are
   * serialised; one that failed does not stop the next.
   */
  runDueJobs(): Promise<void> {
    this.jobsRunning = this.jobsRunning
      .catch(() => {})
      .then(async () => {
        const from = this.lastJobCheck;
        const to = this.clock.now();
        this.lastJobCheck = to;
        const { scheduler, jobs } = this.parts.service;
        const due = Object.values(jobs)
          .map((job) => ({
            job,
            fireAt: lastFireBetween(job.schedule, from, to, this.parts.config.BUSINESS_TIMEZONE),
          }))
          .filter((d): d is { job: (typeof d)['job']; fireAt: Date } => d.fireAt !== null)
          .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
        for (const { job, fireAt } of due) {
          const ran = await scheduler.runOnce(job, fireAt);
          this.recordRun(job.schedule, {
            at: this.clock.now().toISOString(),
            job: job.name,
            fireAt: fireAt.toISOString(),
            ran,
          });
          this.parts.service.worker.kick();
          this.changed();
        }
      });
    return this.jobsRunning;
  }

  /**
   * Adds a run to the end of the history. The fire that comes right after the job's latest entry
   * (none of its fires skipped in between), with the same outcome, is counted into that entry,
   * which moves to the end; after a jump that skipped fires, a new entry starts.
   */
  private recordRun(schedule: string, run: Omit<JobRun, 'times'>): void {
    const index = this.jobRuns.findLastIndex((r) => r.job === run.job);
    const latest = this.jobRuns[index];
    const next =
      latest !== undefined &&
      latest.ran === run.ran &&
      lastFireBetween(
        schedule,
        new Date(latest.fireAt),
        new Date(Date.parse(run.fireAt) - 1),
        this.parts.config.BUSINESS_TIMEZONE,
      ) === null;
    if (next) this.jobRuns.splice(index, 1);
    this.jobRuns.push({ ...run, times: next ? latest.times + 1 : 1 });
  }
}

/** Local midnight of the day after `instant` in `timezone`. */
function startOfNextDay(instant: Date, timezone: string): Date {
  const { year, month, day } = zonedParts(instant, timezone);
  const next = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
  return zonedTimeToInstant(next, '00:00', timezone);
}

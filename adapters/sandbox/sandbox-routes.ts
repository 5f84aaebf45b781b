// The sandbox page and its API, mounted on the service's own Fastify server by the sandbox
// launcher only (never by createService, so a normal start has none of these routes).
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FakeSlackMessage, FakeSlackUpload } from '../slack/fake/fake-slack-api.ts';
import { type Answer, IDEMPOTENCY_HEADER, IdempotentRequests } from './idempotent-requests.ts';
import { type ClockJump, type Sandbox, SandboxError } from './sandbox.ts';
import {
  contentDisposition,
  fileContentType,
  isImage,
  type SharedFile,
  sharedFile,
} from './sandbox-files.ts';

const PUBLIC = new URL('./public/', import.meta.url);
const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** The app's name in Slack (`bot_user.display_name` in slack-app-manifest.yml): its own posts show it. */
export const SLACK_APP_NAME = '追客ボット';

const lineMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1).max(5000) }),
  z.object({ type: z.literal('sticker') }),
  z.object({ type: z.literal('image') }),
  z.object({ type: z.literal('location') }),
]);
const slackUser = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id');
const slackChannel = z.string().regex(/^[CDG][A-Z0-9]{2,}$/, 'a Slack channel id');
const bodies = {
  persona: z.object({ displayName: z.string().trim().min(1).max(20) }),
  postback: z.object({ data: z.string().min(1).max(300), displayText: z.string().max(300).optional() }),
  slackMessage: z.object({
    userId: slackUser,
    channel: slackChannel,
    text: z.string().trim().min(1).max(4000),
    threadTs: z
      .string()
      .regex(/^\d+\.\d+$/)
      .optional(),
  }),
  command: z.object({ userId: slackUser, channel: slackChannel, text: z.string().max(4000) }),
  action: z
    .object({
      userId: slackUser,
      channel: slackChannel,
      messageTs: z
        .string()
        .regex(/^\d+\.\d+$/)
        .optional(),
      ephemeralId: z.string().min(1).optional(),
      action: z.looseObject({ type: z.string(), action_id: z.string(), block_id: z.string().optional() }),
    })
    .refine(
      (b) => b.messageTs !== undefined || b.ephemeralId !== undefined,
      'messageTs or ephemeralId is required',
    ),
  view: z.object({
    userId: slackUser,
    viewId: z.string().min(1),
    values: z.record(z.string(), z.record(z.string(), z.looseObject({ type: z.string() }))),
  }),
  viewClose: z.object({ userId: slackUser, viewId: z.string().min(1) }),
  clock: z.object({ jump: z.enum(['5m', '30m', '1h', 'next-morning', '1w'] satisfies ClockJump[]) }),
};

export const sandboxRoutes: FastifyPluginAsync<{ sandbox: Sandbox }> = async (app, { sandbox }) => {
  const page = await readFile(new URL('index.html', PUBLIC), 'utf8');
  const assets = new Map<string, string>();
  for (const name of Object.keys(ASSETS)) assets.set(name, await readFile(new URL(name, PUBLIC), 'utf8'));

  const favicon = await readFile(new URL('favicon.ico', PUBLIC));

  app.get('/', async (_request, reply) => reply.redirect('/sandbox'));
  // Browsers ask for it at the root whatever the page says.
  app.get('/favicon.ico', async (_request, reply) =>
    reply.type('image/x-icon').header('cache-control', 'max-age=86400').send(favicon),
  );
  app.get('/sandbox', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get<{ Params: { name: string } }>('/sandbox/assets/:name', async (request, reply) => {
    const body = assets.get(request.params.name);
    const type = ASSETS[request.params.name];
    if (body === undefined || type === undefined) return reply.code(404).send({ error: 'not found' });
    return reply.type(type).header('cache-control', 'no-cache').send(body);
  });

  app.get('/sandbox/api/state', async () => snapshot(sandbox));

  // A file the app shared in Slack, with the bytes it uploaded: a chart is shown inline, a CSV is
  // downloaded under its name. Not cached: file ids start again from 1 when the sandbox restarts.
  app.get<{ Params: { fileId: string } }>('/sandbox/files/:fileId', async (request, reply) => {
    const upload = sharedUpload(sandbox, request.params.fileId);
    if (!upload) return reply.code(404).send({ error: 'not found' });
    return reply
      .type(fileContentType(upload.filename))
      .header(
        'content-disposition',
        contentDisposition(upload.filename, isImage(upload.filename) ? 'inline' : 'attachment'),
      )
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .send(upload.bytes);
  });

  // Server-sent events: a "change" with the new version after anything happened; the page then
  // reloads the state. A comment every 15 s keeps proxies from closing the stream.
  app.get('/sandbox/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: change\ndata: ${sandbox.currentVersion}\n\n`);
    const onChange = (version: number) => res.write(`event: change\ndata: ${version}\n\n`);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const end = () => {
      clearInterval(heartbeat);
      sandbox.events.off('change', onChange);
      sandbox.events.off('close', end);
      res.end();
    };
    sandbox.events.on('change', onChange);
    sandbox.events.on('close', end);
    request.raw.on('close', end);
  });

  const answerOf = async (work: () => Promise<unknown> | unknown): Promise<Answer> => {
    try {
      const result = await work();
      return { status: 200, body: { ok: true, ...(result && typeof result === 'object' ? result : {}) } };
    } catch (error) {
      if (error instanceof z.ZodError) {
        return {
          status: 400,
          body: { ok: false, error: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
        };
      }
      if (error instanceof SandboxError) return { status: 409, body: { ok: false, error: error.message } };
      app.log.warn({ error: String(error) }, 'sandbox action failed');
      return {
        status: 502,
        body: { ok: false, error: error instanceof Error ? error.message : String(error) },
      };
    }
  };
  const requests = new IdempotentRequests();
  const handle = async (
    request: FastifyRequest,
    reply: FastifyReply,
    work: () => Promise<unknown> | unknown,
  ) => {
    const key = request.headers[IDEMPOTENCY_HEADER];
    const fingerprint = `${request.method} ${request.url} ${JSON.stringify(request.body ?? null)}`;
    const outcome = await requests.run(typeof key === 'string' ? key : undefined, fingerprint, () =>
      answerOf(work),
    );
    switch (outcome.kind) {
      case 'bad_key':
        return reply
          .code(400)
          .send({ ok: false, error: `${IDEMPOTENCY_HEADER}: 1 to 200 visible ASCII characters` });
      case 'key_reused':
        return reply
          .code(422)
          .send({ ok: false, error: `${IDEMPOTENCY_HEADER} was already used for another request` });
      case 'answer':
        if (outcome.replayed) reply.header('idempotent-replayed', 'true');
        return reply.code(outcome.answer.status).send(outcome.answer.body);
    }
  };

  app.post('/sandbox/api/line/personas', (request, reply) =>
    handle(request, reply, () => ({
      persona: sandbox.createPersona(bodies.persona.parse(request.body).displayName),
    })),
  );
  app.post<{ Params: { userId: string; what: string } }>(
    '/sandbox/api/line/:userId/:what',
    (request, reply) =>
      handle(request, reply, async () => {
        const { userId, what } = request.params;
        switch (what) {
          case 'follow':
            return sandbox.follow(userId);
          case 'unfollow':
            return sandbox.unfollow(userId);
          case 'message':
            return sandbox.sendLine(userId, lineMessage.parse(request.body));
          case 'postback': {
            const body = bodies.postback.parse(request.body);
            return sandbox.postback(userId, body.data, body.displayText);
          }
          default:
            throw new SandboxError(`unknown LINE action: ${what}`);
        }
      }),
  );
  app.post('/sandbox/api/slack/message', (request, reply) =>
    handle(request, reply, () => {
      const body = bodies.slackMessage.parse(request.body);
      const text = sandbox.asSlackWouldSend(body.text, 'message');
      return sandbox.postSlackMessage(body.userId, body.channel, text, body.threadTs);
    }),
  );
  app.post('/sandbox/api/slack/command', (request, reply) =>
    handle(request, reply, () => {
      const body = bodies.command.parse(request.body);
      return sandbox.slashCommand(body.userId, body.channel, sandbox.asSlackWouldSend(body.text, 'command'));
    }),
  );
  app.post('/sandbox/api/slack/action', (request, reply) =>
    handle(request, reply, () => {
      const body = bodies.action.parse(request.body);
      return sandbox.blockAction({
        userId: body.userId,
        channel: body.channel,
        action: body.action,
        ...(body.messageTs ? { messageTs: body.messageTs } : {}),
        ...(body.ephemeralId ? { ephemeralId: body.ephemeralId } : {}),
      });
    }),
  );
  app.post('/sandbox/api/slack/view', (request, reply) =>
    handle(request, reply, () => {
      const body = bodies.view.parse(request.body);
      return sandbox.submitView(body.userId, body.viewId, body.values);
    }),
  );
  app.post('/sandbox/api/slack/view-close', (request, reply) =>
    handle(request, reply, () => {
      const body = bodies.viewClose.parse(request.body);
      return sandbox.closeView(body.userId, body.viewId);
    }),
  );
  app.post('/sandbox/api/clock', (request, reply) =>
    handle(request, reply, () => sandbox.jump(bodies.clock.parse(request.body).jump)),
  );
};

/** Everything the page shows, in one JSON document. */
async function snapshot(sandbox: Sandbox) {
  const slack = sandbox.slack;
  const people = await sandbox.peopleWithRoles();
  const names = new Map(people.map((p) => [p.id, p.name]));
  return {
    version: sandbox.currentVersion,
    now: sandbox.clock.now().toISOString(),
    timezone: sandbox.config.BUSINESS_TIMEZONE,
    locale: sandbox.config.LOCALE,
    line: { personas: [...sandbox.personas.values()], log: sandbox.lineLog },
    slack: {
      appName: SLACK_APP_NAME,
      teamChannel: sandbox.config.SLACK_TEAM_CHANNEL,
      command: sandbox.config.SLACK_COMMAND,
      people: people.map((p) => ({ ...p, dm: slack.dmChannelOf(p.id) })),
      messages: slack.messages.map((m) => {
        const shared = m.files ? sharedFiles(sandbox, m) : undefined;
        return {
          channel: m.channel,
          ts: m.ts,
          at: sandbox.slackTimeOf(m.channel, m.ts).toISOString(),
          threadTs: m.threadTs ?? null,
          // A file share shows the comment it was shared with (the fake stores the titles when there is none).
          text: shared ? shared.comment : (m.text ?? ''),
          blocks: m.blocks ?? null,
          files: shared?.files ?? [],
          user: m.user ?? null,
          // A bot post shows the name and icon it chose (chat:write.customize), else the app's own.
          userName: m.botId ? (m.username ?? null) : (names.get(m.user ?? '') ?? m.user ?? null),
          icon: m.iconEmoji ? { emoji: m.iconEmoji } : m.iconUrl ? { url: m.iconUrl } : null,
          bot: m.botId !== undefined,
          edited: m.updatedAt !== undefined,
          reactions: m.reactions,
          ephemeralFor: m.ephemeralFor ?? null,
        };
      }),
      ephemerals: sandbox.ephemerals,
      views: Object.fromEntries(sandbox.views),
    },
    jobs: sandbox.jobRuns.slice(-30),
  };
}

/** An upload that was shared (files.completeUploadExternal) and holds its bytes; undefined otherwise. */
function sharedUpload(
  sandbox: Sandbox,
  fileId: string,
): (FakeSlackUpload & { bytes: Buffer; completed: NonNullable<FakeSlackUpload['completed']> }) | undefined {
  const upload = sandbox.slack.uploads.find((u) => u.fileId === fileId);
  if (!upload?.bytes || !upload.completed) return undefined;
  return upload as FakeSlackUpload & { bytes: Buffer; completed: NonNullable<FakeSlackUpload['completed']> };
}

/** The files of a file-share message, and the comment they were shared with ('' for none). */
function sharedFiles(
  sandbox: Sandbox,
  message: FakeSlackMessage,
): { files: SharedFile[]; comment: string } | undefined {
  const files: SharedFile[] = [];
  let comment: string | undefined;
  for (const file of message.files ?? []) {
    const upload = sharedUpload(sandbox, file.id);
    if (!upload) continue;
    files.push(sharedFile(upload, file.title));
    comment ??= upload.completed.initialComment ?? '';
  }
  return files.length > 0 ? { files, comment: comment ?? '' } : undefined;
}

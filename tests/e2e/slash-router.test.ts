import { App, LogLevel } from '@slack/bolt';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandRouterDeps,
  registerCommandRouter,
  type SlashSubcommand,
} from '../../adapters/slack/commands/command-router.ts';
import { helpCommand } from '../../adapters/slack/commands/help-command.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import { slashCommand } from '../../adapters/slack/fake/slack-client-requests.ts';
import { FastifySlackReceiver } from '../../adapters/slack/slack-receiver.ts';
import { catalog } from '../../src/messages.ts';

// The router with a table of its own, behind the real receiver over HTTP: the deferred path no
// production subcommand takes yet (stats will), without a test hook in the service.

const SECRET = 'router-signing-secret';
const COMMAND = '/tsuikyaku';
const t = catalog('ja');
const silent = { info() {}, warn() {}, error() {} };

/** Holds the deferred subcommand until the test has seen the ack. */
let release: () => void = () => {};
let released = Promise.resolve();
function holdDeferred() {
  released = new Promise<void>((resolve) => {
    release = resolve;
  });
}

const slow: SlashSubcommand<CommandRouterDeps> = {
  names: ['slow', 'ゆっくり'],
  async handle({ args, userId, defer, reply }) {
    await defer();
    await released;
    await reply(`done for <@${userId}>: ${args}`);
  },
};
const brokenLater: SlashSubcommand<CommandRouterDeps> = {
  names: ['broken-later'],
  async handle({ defer }) {
    await defer();
    throw new Error('the use case failed after the ack');
  },
};
const quick: SlashSubcommand<CommandRouterDeps> = {
  names: ['quick'],
  handle: ({ args, reply }) => reply({ text: `args: ${args}`, blocks: [{ type: 'divider' }] }),
};

let slack: FakeSlackApi;
let server: FastifyInstance;
let url: string;

beforeAll(async () => {
  slack = await startFakeSlackApi();
  const receiver = new FastifySlackReceiver({
    signingSecret: SECRET,
    logger: silent,
    failureText: t.somethingWentWrong,
  });
  const bolt = new App({
    authorize: async () => ({ botToken: 'xoxb-router', botId: 'B0ROUTER', botUserId: 'U0ROUTER' }),
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: slack.url },
  });
  // As the service does: a failed listener reaches the receiver, which tells the person.
  bolt.error(async (error) => {
    throw error;
  });
  registerCommandRouter(bolt, { t, command: COMMAND }, [helpCommand, slow, brokenLater, quick]);
  server = Fastify();
  await server.register(receiver.plugin);
  url = await server.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  await slack?.close();
});

async function run(text: string, responseId: string) {
  const request = slashCommand(
    {
      command: COMMAND,
      text,
      userId: 'U0ASKER01',
      channelId: 'C0SOMEWHERE',
      responseUrl: slack.responseUrl(responseId),
      triggerId: `trigger.${responseId}`,
    },
    SECRET,
  );
  const res = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return { status: res.status, body: await res.text() };
}

const responseTo = (id: string) => slack.waitFor(() => slack.responses.find((r) => r.id === id));

describe('slash command router', () => {
  it('acks a deferred subcommand at once and answers later through the response_url', async () => {
    holdDeferred();
    const ack = await run('slow  <@U0OTHER01|Sato Taro>  please ', 'deferred');
    // The subcommand is still held: the ack came first, empty, and nothing was answered yet.
    expect(ack).toEqual({ status: 200, body: '' });
    expect(slack.responses.filter((r) => r.id === 'deferred')).toEqual([]);
    release();
    const answer = await responseTo('deferred');
    expect(answer.body).toEqual({
      response_type: 'ephemeral',
      text: 'done for <@U0ASKER01>: <@U0OTHER01|Sato Taro>  please',
    });
  });

  it('picks a subcommand by its Japanese name too', async () => {
    expect((await run('ゆっくり 明日', 'japanese')).body).toBe('');
    expect((await responseTo('japanese')).body.text).toBe('done for <@U0ASKER01>: 明日');
  });

  it('still tells the person when a deferred subcommand fails after its ack', async () => {
    expect(await run('broken-later', 'failed')).toEqual({ status: 200, body: '' });
    const told = await responseTo('failed');
    expect(told.body).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: t.somethingWentWrong,
    });
  });

  it('answers in the ack when the subcommand does not defer, ephemeral, with its blocks', async () => {
    const res = await run('quick  a b ', 'quick');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      response_type: 'ephemeral',
      text: 'args: a b',
      blocks: [{ type: 'divider' }],
    });
  });

  it('shows help for the command alone and names a word no subcommand knows', async () => {
    expect(JSON.parse((await run('', 'empty')).body).text).toBe(t.command.help(COMMAND));
    expect(JSON.parse((await run('Slow down', 'unknown')).body)).toEqual({
      response_type: 'ephemeral',
      text: t.command.unknown('Slow', COMMAND),
    });
    // Neither answer went through the response_url.
    expect(slack.responses.filter((r) => r.id === 'empty' || r.id === 'unknown')).toEqual([]);
  });
});

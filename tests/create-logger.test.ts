import { DrizzleQueryError } from 'drizzle-orm/errors';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/create-logger.ts';
import { buildServer } from '../src/server.ts';

const LINE_USER = 'U9c0ffee0000000000000000000000001';

function capture(level = 'trace') {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('redacts personal fields at the top level and one level down, and keeps the ids', () => {
    const { logger, parsed } = capture();
    logger.info(
      {
        leadId: 'lead-1',
        text: '秘密',
        displayName: '山田 太郎',
        event: { source: { type: 'user', userId: LINE_USER }, replyToken: 'r' },
        profile: { pictureUrl: 'https://profile.example/p.jpg' },
        job: { kind: 'line.push', lineUserId: LINE_USER, messageId: 'm-1' },
      },
      'something happened',
    );
    expect(parsed()[0]).toMatchObject({
      leadId: 'lead-1',
      text: '[redacted]',
      displayName: '[redacted]',
      event: { source: '[redacted]', replyToken: '[redacted]' },
      profile: '[redacted]',
      job: { kind: 'line.push', lineUserId: '[redacted]', messageId: 'm-1' },
      msg: 'something happened',
    });
  });

  it('cleans an error logged alone, whose message pino would otherwise copy into the line', () => {
    const { logger, lines, parsed } = capture();
    logger.error(new DrizzleQueryError('select "id" from "leads" where "line_user_id" = $1', [LINE_USER]));
    expect(lines.join('')).not.toContain(LINE_USER);
    expect(parsed()[0]).toMatchObject({
      msg: 'Failed query: select "id" from "leads" where "line_user_id" = $1',
      err: { type: 'DrizzleQueryError' },
    });
  });

  it('cleans `error` fields, whether an error or the string a call site made of one', () => {
    const { logger, lines } = capture();
    const error = new DrizzleQueryError('insert into "messages" ("text") values ($1)', ['090-1234-5678']);
    logger.warn({ error }, 'as an error');
    logger.warn({ error: String(error) }, 'as a string');
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('090-1234-5678');
    expect(lines.join('')).toContain('insert into');
  });

  it('logs a request by its route, without the path’s values or the query string', async () => {
    const { logger, lines } = capture('info');
    const app = Fastify({ loggerInstance: logger });
    app.get('/people/:userId', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: `/people/${LINE_USER}?name=${encodeURIComponent('山田')}` });
    await app.close();
    const all = lines.join('');
    expect(all).toContain('"route":"/people/:userId"');
    expect(all).not.toContain(LINE_USER);
    expect(all).not.toContain(encodeURIComponent('山田'));
  });

  it('answers an unknown URL with 404 without logging the URL', async () => {
    const { logger, lines } = capture('info');
    const app = buildServer({
      logger,
      lineWebhook: async () => {},
      slackEvents: async () => {},
      isReady: async () => true,
    });
    const res = await app.inject({
      method: 'GET',
      url: `/people/${LINE_USER}?name=${encodeURIComponent('山田')}`,
    });
    await app.close();
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no such route' });
    const all = lines.join('');
    expect(all).toContain('"statusCode":404');
    expect(all).not.toContain(LINE_USER);
    expect(all).not.toContain(encodeURIComponent('山田'));
  });
});

import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../src/errors.ts';
import { type LoggableError, loggableError, loggableMessage } from '../src/loggable-error.ts';

const LINE_USER = 'U4af4980629f3b1c5e2c8d7a6b5c4d3e2';
const TEXT = '見積もりをお願いします 090-1234-5678';

/** What PGlite and postgres.js throw: PostgreSQL's reason, plus the statement's values as properties. */
function driverError(message: string, code: string) {
  return Object.assign(new Error(message), {
    code,
    detail: `Key (line_user_id)=(${LINE_USER}) already exists.`,
    params: [LINE_USER, TEXT],
    parameters: [LINE_USER, TEXT],
  });
}

describe('loggableError', () => {
  it('keeps drizzle’s statement and drops its params, and walks the cause for PostgreSQL’s reason', () => {
    const cause = driverError(
      'duplicate key value violates unique constraint "leads_line_user_id_key"',
      '23505',
    );
    const error = new DrizzleQueryError(
      'insert into "leads" ("id", "line_user_id", "display_name") values ($1, $2, $3)',
      ['6f1c', LINE_USER, '山田 太郎'],
      cause,
    );
    expect(error.message).toContain(LINE_USER);

    const logged = loggableError(error) as LoggableError;
    expect(logged.type).toBe('DrizzleQueryError');
    expect(logged.message).toBe(
      'Failed query: insert into "leads" ("id", "line_user_id", "display_name") values ($1, $2, $3)',
    );
    expect(logged.stack?.split('\n')[0]).toBe(`DrizzleQueryError: ${logged.message}`);
    expect(logged.stack?.split('\n')[1]).toMatch(/^\s+at /);
    expect(logged.cause).toMatchObject({
      type: 'Error',
      code: '23505',
      message: 'duplicate key value violates unique constraint "leads_line_user_id_key"',
    });
    const json = JSON.stringify(logged);
    for (const personal of [LINE_USER, '山田 太郎', TEXT]) expect(json).not.toContain(personal);
  });

  it('follows a cause chain five deep and no further', () => {
    let error: Error = new Error('the deepest');
    for (let i = 0; i < 7; i++) error = new Error(`wrapper ${i}`, { cause: error });
    let depth = 0;
    for (let e = loggableError(error); typeof e === 'object' && e.cause; e = e.cause) depth += 1;
    expect(depth).toBe(5);
  });

  it('keeps the class, code and HTTP status our own errors carry', () => {
    const logged = loggableError(
      new DeliveryError('never', 'LINE API 400: Invalid reply token', { status: 400 }),
    );
    expect(logged).toMatchObject({
      type: 'DeliveryError',
      status: 400,
      message: 'LINE API 400: Invalid reply token',
    });
  });

  it('cleans what a call site already turned into a string', () => {
    const error = new DrizzleQueryError('select "id" from "leads" where "line_user_id" = $1', [LINE_USER]);
    expect(loggableError(String(error))).toBe(
      'Error: Failed query: select "id" from "leads" where "line_user_id" = $1',
    );
  });
});

describe('loggableMessage', () => {
  it.each([
    ['invalid input syntax for type uuid: "山田 太郎"', 'invalid input syntax for type uuid: "…"'],
    ['invalid input syntax for type integer: "hello"', 'invalid input syntax for type integer: "…"'],
    ['invalid input syntax for type json: "say "hi" please"', 'invalid input syntax for type json: "…"'],
    ['value "09012345678" is out of range for type bigint', 'value "…" is out of range for type bigint'],
    [`Unexpected token 'U', "${LINE_USER}" is not valid JSON`, `Unexpected token 'U', "…" is not valid JSON`],
    ["Failed query: select 1 where name = '田中'\nparams: ", "Failed query: select 1 where name = '…'"],
    ["it can't be 090-1234-5678", "it can'…'"],
  ])('drops the values in %j', (message, expected) => {
    expect(loggableMessage(message)).toBe(expected);
  });

  it.each([
    'relation "line_webhook_events" does not exist',
    'null value in column "text" of relation "messages" violates not-null constraint',
    "Cannot read properties of undefined (reading 'displayName')",
    'write CONNECTION_CLOSED 127.0.0.1:5432',
    'Slack error: channel_not_found',
  ])('keeps names and plain reasons: %j', (message) => {
    expect(loggableMessage(message)).toBe(message);
  });
});

import { codeOf } from './errors.ts';

/** What a log line keeps of an error: what went wrong and where, never the data it was about. */
export interface LoggableError {
  type: string;
  message: string;
  code?: string;
  status?: number;
  stack?: string;
  cause?: LoggableError | string;
}

const MAX_MESSAGE = 1000;
const MAX_FRAMES = 12;
const MAX_CAUSES = 5;

/**
 * The log form of an error, or of the `String(error)` a call site already made. Errors carry the
 * data they failed on: drizzle's "Failed query: <sql>\nparams: <values>" (a lead's text, name
 * and LINE user ID), PGlite's `params` and postgres.js's `parameters` properties, PostgreSQL's
 * `detail` ("Key (line_user_id)=(U…)"), an HTTP client's response `body`. So only the class,
 * code, status, cleaned message and stack frames are kept, and the `cause` chain is walked the
 * same way; every other property is left out.
 */
export function loggableError(value: unknown, depth = 0): LoggableError | string {
  if (!(value instanceof Error)) return loggableMessage(String(value));
  // drizzle leaves `name` as 'Error'; PGlite's minified class names say nothing ('O').
  const type = [value.name, value.constructor.name].find((n) => n !== 'Error' && n.length > 2) ?? 'Error';
  const message = loggableMessage(value.message);
  const code = codeOf(value);
  const status = [
    (value as { status?: unknown }).status,
    (value as { statusCode?: unknown }).statusCode,
  ].find((s): s is number => typeof s === 'number');
  const frames = (value.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_FRAMES);
  return {
    type,
    message,
    ...(code !== undefined ? { code } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(frames.length > 0 ? { stack: [`${type}: ${message}`, ...frames].join('\n') } : {}),
    ...(value.cause !== undefined && depth < MAX_CAUSES
      ? { cause: loggableError(value.cause, depth + 1) }
      : {}),
  };
}

/**
 * An error message without the values in it. Drops drizzle's `params:` part and every quoted
 * string except names: the identifiers inside the statement of a "Failed query" (drizzle passes
 * values as $1, $2...), the names PostgreSQL quotes after `relation`, `column`, `constraint`...
 * (`relation "leads" does not exist`), and a single-quoted JavaScript name (`reading 'id'`).
 * A value PostgreSQL quotes (`invalid input syntax for type uuid: "…"`) follows a colon or
 * `value`, never those words. A value may hold quotes itself, so a dropped one runs to the last
 * quote on its line.
 */
export function loggableMessage(message: string): string {
  const params = message.search(/\s*\bparams: /);
  let text = params >= 0 ? message.slice(0, params) : message;
  text = withoutQuotedValues(text, "'", (name, inStatement) => !inStatement && JS_NAME.test(name));
  text = withoutQuotedValues(
    text,
    '"',
    (name, inStatement, before) =>
      (inStatement && SQL_NAME.test(name)) || (JS_NAME.test(name) && NAME_FOLLOWS.test(before)),
  );
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

const SQL_NAME = /^[a-z_][a-z0-9_$]{0,62}$/;
const JS_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,62}$/;
const NAME_FOLLOWS =
  /\b(relation|column|constraint|table|index|schema|sequence|type|function|database|role|encoding|reading) $/i;

function withoutQuotedValues(
  text: string,
  quote: string,
  isName: (inner: string, inStatement: boolean, before: string) => boolean,
): string {
  const statementFrom = text.indexOf('Failed query: ');
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf(quote, at);
    if (open < 0) return out + text.slice(at);
    out += text.slice(at, open);
    const newline = text.indexOf('\n', open);
    const lineEnd = newline < 0 ? text.length : newline;
    const close = text.indexOf(quote, open + 1);
    if (close > open && close < lineEnd) {
      const inner = text.slice(open + 1, close);
      const inStatement = statementFrom >= 0 && open > statementFrom;
      if (isName(inner, inStatement, text.slice(Math.max(0, open - 12), open))) {
        out += text.slice(open, close + 1);
        at = close + 1;
        continue;
      }
    }
    const last = text.lastIndexOf(quote, lineEnd - 1);
    out += `${quote}…${quote}`;
    at = last > open ? last + 1 : lineEnd;
  }
}

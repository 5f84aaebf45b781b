import { format } from 'node:util';
import type { FastifyRequest } from 'fastify';
import pino, { type DestinationStream, type LevelWithSilentOrString, type Logger } from 'pino';
import { loggableError, loggableMessage } from './loggable-error.ts';

/**
 * Field names that hold what a lead wrote or who they are, in any payload a call site might log
 * whole: LINE webhook events and profiles, Slack payloads and request bodies, database rows and
 * query parameters. Redacted at the top level and one level down (`*.text`), at every level.
 */
const PERSONAL_FIELDS = [
  'text',
  'texts',
  'content',
  'message_text',
  'displayName',
  'display_name',
  'name',
  'pictureUrl',
  'picture_url',
  'statusMessage',
  'lineUserId',
  'line_user_id',
  'userId',
  'user_id',
  'to',
  'source',
  'sender',
  'profile',
  'phone',
  'phoneNumber',
  'phone_number',
  'tel',
  'email',
  'events',
  'messages',
  'payload',
  'body',
  'raw',
  'params',
  'parameters',
  'query',
  'detail',
  'token',
  'replyToken',
  'reply_token',
];

export const REDACTED_PATHS = PERSONAL_FIELDS.flatMap((field) => [field, `*.${field}`]);

/**
 * The one JSON logger (stdout unless given a destination). Personal data stays out at every level:
 * named fields are redacted, errors keep only their class, code and a message without values
 * (see loggableError), and so does the message of a line: pino and Fastify make it from
 * `err.message` when they log an error alone. A request is logged by its route, not its URL,
 * because a path or query string may carry a LINE user ID or a name (the sandbox's routes do).
 */
export function createLogger(level: LevelWithSilentOrString, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      err: (value: unknown) => loggableError(value),
      error: (value: unknown) => loggableError(value),
      req: requestSummary,
    },
    hooks: {
      logMethod(args: unknown[], method: (...args: unknown[]) => void) {
        const [first, ...rest] = args;
        const error = first instanceof Error ? first : undefined;
        const fields = error
          ? { err: error }
          : typeof first === 'object' && first !== null
            ? first
            : undefined;
        const words = fields ? rest : args;
        const message =
          words.length > 0 ? loggableMessage(format(...words)) : error && loggableMessage(error.message);
        const line = [fields, message].filter((part) => part !== undefined);
        method.apply(this, line);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

function requestSummary(request: FastifyRequest) {
  return {
    method: request.method,
    route: request.routeOptions?.url ?? 'unmatched',
    remoteAddress: request.ip,
  };
}

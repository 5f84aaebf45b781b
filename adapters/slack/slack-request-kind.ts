import type { SlackRequest } from './slack-request.ts';

/**
 * The `kind` label of a request in the metrics: `command`, the interaction's type
 * (`block_actions`, `view_submission`...), `event/<event type>` (`event/message`), or the
 * request's own kind (`url_verification`, `ssl_check`, `app_rate_limited`).
 */
export function slackRequestKind(request: SlackRequest): string {
  const body = request.body as Record<string, unknown>;
  switch (request.kind) {
    case 'command':
      return 'command';
    case 'interaction':
      return typeof body.type === 'string' ? body.type : 'interaction';
    case 'event': {
      const type = (body.event as { type?: unknown } | undefined)?.type;
      return `event/${typeof type === 'string' ? type : 'unknown'}`;
    }
    case 'rate_limited':
      return 'app_rate_limited';
    case 'ssl_check':
    case 'url_verification':
      return request.kind;
  }
}

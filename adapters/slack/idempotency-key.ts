// The keys under which an interactivity payload is processed once (slack_events, see transactOnce).
// Slack does not retry interactivity requests (only the Events API, marked by x-slack-retry-num),
// but the same payload still arrives twice: a double click on a modal's submit, a proxy or load
// balancer replaying a request, two replicas behind one URL each getting a copy.
// https://api.slack.com/reference/interaction-payloads

/**
 * A modal submission: a view keeps its id for as long as it is open, so a double click sends the
 * same id twice, and a submission refused with response_action 'errors' is retried under it.
 */
export function viewKey(view: { id: string; callback_id: string }): string {
  return `view:${view.id}:${view.callback_id}`;
}

interface PressedPayload {
  user: { id: string };
  container?: { message_ts?: string; view_id?: string };
  actions?: readonly unknown[];
}

/**
 * One press of a button or one choice in a select: who pressed, on which message (or view), which
 * element, and Slack's `action_ts` for the moment of the press. A redelivered payload has the same
 * key; a second press has its own. Undefined when the payload lacks them (not from Slack).
 */
export function actionKey(body: PressedPayload): string | undefined {
  const action = body.actions?.[0] as { action_id?: unknown; action_ts?: unknown } | undefined;
  const where = body.container?.message_ts ?? body.container?.view_id;
  if (typeof action?.action_ts !== 'string' || typeof action.action_id !== 'string' || !where)
    return undefined;
  return `action:${body.user.id}:${where}:${action.action_id}:${action.action_ts}`;
}

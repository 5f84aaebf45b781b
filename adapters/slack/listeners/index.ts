import type { App } from '@slack/bolt';
import { registerClaimAction } from './claim-action.ts';
import { registerErasureModals } from './erasure-modals.ts';
import { registerFollowUpActions } from './follow-up-actions.ts';
import { registerFollowUpModals } from './follow-up-modals.ts';
import type { ListenerDeps } from './listener-deps.ts';
import { registerRepReply } from './rep-reply.ts';
import { registerSlashCommand } from './slash-command.ts';

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerSlashCommand(app, deps);
  registerFollowUpActions(app, deps);
  registerFollowUpModals(app, deps);
  registerRepReply(app, deps);
  registerClaimAction(app, deps);
  registerErasureModals(app, deps);
}

import type { App } from '@slack/bolt';
import { registerClaimAction } from './claim-action.ts';
import type { ListenerDeps } from './listener-deps.ts';
import { registerRepReply } from './rep-reply.ts';
import { registerStaffCommand } from './staff-command.ts';

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerStaffCommand(app, deps);
  registerRepReply(app, deps);
  registerClaimAction(app, deps);
}

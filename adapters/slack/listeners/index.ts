import type { App } from '@slack/bolt';
import { registerCommandRouter } from '../commands/command-router.ts';
import { exportCommand } from '../commands/export-command.ts';
import { helpCommand } from '../commands/help-command.ts';
import { leadCommand } from '../commands/lead-command.ts';
import { leadsCommand } from '../commands/leads-command.ts';
import { sequencesCommand } from '../commands/sequences-command.ts';
import { staffCommand } from '../commands/staff-command.ts';
import { statsCommand } from '../commands/stats-command.ts';
import { todayCommand } from '../commands/today-command.ts';
import { registerClaimAction } from './claim-action.ts';
import { registerErasureModals } from './erasure-modals.ts';
import { registerFollowUpActions } from './follow-up-actions.ts';
import { registerFollowUpModals } from './follow-up-modals.ts';
import { registerLeadListActions } from './lead-list-actions.ts';
import type { ListenerDeps } from './listener-deps.ts';
import { registerRepReply } from './rep-reply.ts';
import { registerSequenceActions } from './sequence-actions.ts';
import { registerTagModal } from './tag-modal.ts';
import { registerTakeOverAction } from './take-over-action.ts';

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommandRouter(app, deps, [
    helpCommand,
    todayCommand,
    leadCommand,
    leadsCommand,
    sequencesCommand,
    exportCommand,
    staffCommand,
    statsCommand,
  ]);
  registerFollowUpActions(app, deps);
  registerFollowUpModals(app, deps);
  registerRepReply(app, deps);
  registerClaimAction(app, deps);
  registerTakeOverAction(app, deps);
  registerErasureModals(app, deps);
  registerLeadListActions(app, deps);
  registerSequenceActions(app, deps);
  registerTagModal(app, deps);
}

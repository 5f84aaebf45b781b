import { dueEscalation } from '../domain/escalation.ts';
import type { FollowUpPolicy } from '../domain/follow-up-policy.ts';
import { leadOrderKey } from '../domain/lead.ts';
import type { Clock, Logger, OutboxEntry, Store } from '../ports.ts';

/** One queue per team channel or manager DM: its alarms arrive one by one, in the order queued. */
const alarmOrderKey = (recipient: string) => `alarms:${recipient}`;

/**
 * Speed-to-lead: a lead's message with no rep answer is escalated as business minutes pass
 * (ESCALATION_MINUTES, default 5/15/30): the owner is reminded, then the team channel is alerted,
 * then every manager, then the owner again every ESCALATION_REMINDER_MINUTES. Minutes outside
 * business hours do not count. Each fire sends at most one alarm per lead (see dueEscalation), and
 * leads are taken longest wait first. Each lead is handled on its own: one failure never stops the run.
 */
export async function escalateUnanswered(deps: {
  store: Store;
  clock: Clock;
  policy: FollowUpPolicy;
  logger: Logger;
}): Promise<{ escalated: number; failed: number }> {
  const now = deps.clock.now();
  const rules = {
    ladder: deps.policy.escalationMinutes,
    reminderEvery: deps.policy.escalationReminderMinutes,
    calendar: deps.policy.calendar,
  };
  let escalated = 0;
  let failed = 0;
  for (const lead of await deps.store.leads.listAwaitingReply()) {
    try {
      const step = dueEscalation(lead, now, rules);
      if (!step) continue;
      await deps.store.transaction(async (tx) => {
        // Compare-and-set: the level only moves forward once, whichever replica gets here.
        if (!(await tx.leads.advanceEscalation(lead.id, lead.escalationLevel, step.level, now))) return;
        const alarm = {
          kind: 'slack.escalation',
          leadId: lead.id,
          level: step.level,
          minutes: step.waitedMinutes,
        } as const;
        const entries: OutboxEntry[] = [];
        switch (step.audience) {
          case 'owner':
            // In the lead's thread, after whatever the lead's own rows still have to post there.
            entries.push({ job: alarm, orderKey: leadOrderKey(lead.id) });
            break;
          case 'reminder':
            entries.push({ job: { ...alarm, reminder: true }, orderKey: leadOrderKey(lead.id) });
            break;
          case 'team':
            entries.push({ job: alarm, orderKey: alarmOrderKey('team') });
            break;
          case 'managers':
            for (const manager of await tx.staff.listActive()) {
              if (manager.role !== 'manager') continue;
              entries.push({
                job: { ...alarm, to: manager.slackUserId },
                orderKey: alarmOrderKey(manager.slackUserId),
              });
            }
            break;
        }
        await tx.outbox.enqueue(entries);
        escalated += 1;
      });
    } catch (error) {
      failed += 1;
      deps.logger.error({ leadId: lead.id, error: String(error) }, 'could not escalate an unanswered lead');
    }
  }
  return { escalated, failed };
}

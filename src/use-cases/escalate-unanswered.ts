import { businessMinutesBetween } from '../domain/business-calendar.ts';
import type { FollowUpPolicy } from '../domain/follow-up-policy.ts';
import { leadOrderKey } from '../domain/lead.ts';
import type { Clock, Logger, OutboxEntry, Store } from '../ports.ts';

/**
 * Speed-to-lead: a lead's message with no rep answer is escalated as business minutes pass
 * (ESCALATION_MINUTES, default 5/15/30): the owner is reminded, then the team channel is alerted,
 * then every manager. Minutes outside business hours do not count, so a message sent at night is
 * measured from opening time. Each lead is handled on its own: one failure never stops the run.
 */
export async function escalateUnanswered(deps: {
  store: Store;
  clock: Clock;
  policy: FollowUpPolicy;
  logger: Logger;
}): Promise<{ escalated: number; failed: number }> {
  const now = deps.clock.now();
  const ladder = deps.policy.escalationMinutes;
  let escalated = 0;
  let failed = 0;
  for (const lead of await deps.store.leads.listAwaitingReply()) {
    try {
      const since = lead.awaitingReplySince;
      if (!since) continue;
      const minutes = Math.floor(businessMinutesBetween(since, now, deps.policy.calendar));
      const due = ladder.filter((step) => minutes >= step).length;
      if (due <= lead.escalationLevel) continue;
      await deps.store.transaction(async (tx) => {
        // Compare-and-set: the level only moves forward once, whichever replica gets here.
        if (!(await tx.leads.advanceEscalation(lead.id, lead.escalationLevel, due, now))) return;
        const managers = (await tx.staff.listActive()).filter((s) => s.role === 'manager');
        const entries: OutboxEntry[] = [];
        for (let level = lead.escalationLevel + 1; level <= due; level++) {
          const step = ladder[level - 1] ?? minutes;
          if (level >= 3) {
            for (const manager of managers) {
              entries.push({
                job: {
                  kind: 'slack.escalation',
                  leadId: lead.id,
                  level,
                  minutes: step,
                  to: manager.slackUserId,
                },
                orderKey: leadOrderKey(lead.id),
              });
            }
          } else {
            entries.push({
              job: { kind: 'slack.escalation', leadId: lead.id, level, minutes: step },
              orderKey: leadOrderKey(lead.id),
            });
          }
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

import { localDate } from '../domain/business-calendar.ts';
import type { FollowUpPolicy } from '../domain/follow-up-policy.ts';
import type { Store } from '../ports.ts';

export type MorningDigestRun =
  | { kind: 'queued'; date: string; reps: number }
  | { kind: 'holiday'; date: string };

/**
 * Queues one digest per rep for the business day of the fire. Only enqueues: the digest itself is
 * built when the outbox delivers it. The dedupe key makes a re-run (a second replica, a restart
 * mid-run, a catch-up) add nothing, so no rep is skipped or gets two digests.
 */
export async function runMorningDigest(
  deps: { store: Store; policy: FollowUpPolicy },
  fireAt: Date,
): Promise<MorningDigestRun> {
  const date = localDate(fireAt, deps.policy.calendar.timezone);
  if (deps.policy.calendar.holidays(date)) return { kind: 'holiday', date };
  return deps.store.transaction(async (tx) => {
    // Every rep gets a list, even on an empty day; every manager gets their own list and the team's numbers.
    const recipients = await tx.staff.listActive();
    await tx.outbox.enqueue(
      recipients.map((s) => ({
        job: { kind: 'slack.digest' as const, repId: s.slackUserId, date },
        orderKey: `digest:${s.slackUserId}`,
        dedupeKey: `digest:${s.slackUserId}:${date}`,
      })),
    );
    return { kind: 'queued', date, reps: recipients.length };
  });
}

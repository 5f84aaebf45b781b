import { localDate, zonedTimeToInstant } from '../../domain/business-calendar.ts';
import { type Lead, leadOrderKey } from '../../domain/lead.ts';
import { SYSTEM_ACTOR } from '../../domain/lead-history.ts';
import {
  canReceiveSteps,
  fitsAudience,
  fitsKind,
  isPersonalStep,
  stepApplies,
  stepDue,
} from '../../domain/sequences/audience.ts';
import { nextSendMoment } from '../../domain/sequences/next-send-moment.ts';
import { dueAfterResume } from '../../domain/sequences/pause-resume.ts';
import type { Sequence } from '../../domain/sequences/sequence.ts';
import { CAP_WINDOW_MS } from '../../domain/sequences/weekly-cap.ts';
import type {
  Clock,
  Enrolment,
  EnrolmentPatch,
  Logger,
  NewEnrolment,
  NewStepSend,
  OutboxEntry,
  StopReason,
  Store,
} from '../../ports.ts';
import { afterStep } from './enrolments.ts';
import type { LineQuotaGuard } from './line-quota.ts';
import { type SequenceSettings, sequenceById } from './sequence-settings.ts';

/** LINE's multicast takes up to 500 user IDs per request. */
export const MULTICAST_MAX = 500;
/** Personal steps per outbox row (one push each): few rows for a big run, a small burst per row. */
export const PUSHES_PER_ROW = 25;
/** Enrolments claimed per transaction. */
const BATCH = 500;
/**
 * Step rows per second by endpoint: a little under LINE's rate limits of 2,000 push and 200
 * multicast requests per second per channel (https://developers.line.biz/en/reference/messaging-api/#rate-limits).
 */
export const PACE_PER_SECOND = { push: 1900, multicast: 190 } as const;
/** A `date` sequence whose moment passed longer ago than this (the service was down) is not sent late. */
const DATE_START_GRACE_MS = 24 * 60 * 60_000;
/** A date claim commits with its enrolments, so it is never left half-done: ten years means never. */
const DATE_CLAIM_NEVER_STALE_MS = 3650 * 24 * 60 * 60_000;

export interface DispatchDeps {
  store: Store;
  clock: Clock;
  settings: SequenceSettings;
  quota: LineQuotaGuard;
  logger: Logger;
}

export interface DispatchResult {
  /** Steps queued for LINE (each one lead). */
  queued: number;
  /** Due steps moved later by quiet hours, step days or the weekly cap. */
  postponed: number;
  skipped: number;
  stopped: number;
  resumed: number;
  /** Steps held earlier for the quota and queued again now. */
  released: number;
  enrolledByDate: number;
  /** Due steps left for a later run because the month's quota is spent. */
  quotaLimited: boolean;
}

/** A step ready to go to one lead. */
interface ReadyStep {
  send: Pick<NewStepSend, 'id' | 'leadId' | 'sequenceId' | 'stepIndex' | 'retryKey'>;
  personal: boolean;
}

/**
 * The outbox rows for ready steps: a step that names the lead or owner goes by push, up to
 * PUSHES_PER_ROW of them to a row; the same step for several leads goes by multicast, up to 500
 * recipients per row (one left over goes with the pushes). They go in the steps lane: a run of
 * 100,000 never holds up a lead's message or a rep's reply that is due.
 */
export function stepJobs(ready: readonly ReadyStep[]): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  const pushes: ReadyStep[] = [];
  const groups = new Map<string, ReadyStep[]>();
  for (const step of ready) {
    if (step.personal) {
      pushes.push(step);
      continue;
    }
    const key = `${step.send.sequenceId}\u0000${step.send.stepIndex}`;
    groups.set(key, [...(groups.get(key) ?? []), step]);
  }
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += MULTICAST_MAX) {
      const chunk = group.slice(i, i + MULTICAST_MAX);
      const [first] = chunk;
      if (!first) continue;
      if (chunk.length === 1) {
        pushes.push(first);
        continue;
      }
      entries.push({
        job: {
          kind: 'line.step_multicast',
          sequenceId: first.send.sequenceId,
          stepIndex: first.send.stepIndex,
          stepSendIds: chunk.map((step) => step.send.id),
        },
        orderKey: `multicast:${first.send.id}`,
        retryKey: crypto.randomUUID(),
        lane: 'steps',
      });
    }
  }
  for (let i = 0; i < pushes.length; i += PUSHES_PER_ROW) {
    const chunk = pushes.slice(i, i + PUSHES_PER_ROW);
    const [first] = chunk;
    if (!first) continue;
    entries.push({
      job: { kind: 'line.step_pushes', stepSendIds: chunk.map((step) => step.send.id) },
      orderKey: `pushes:${first.send.id}`,
      lane: 'steps',
    });
  }
  return entries;
}

/**
 * Spreads a run's step rows over time at LINE's rate: the n-th push of the run is not delivered
 * before n / 1,900 s after the run began (a row of 25 pushes takes 25 places). The worker then
 * sends them as fast as LINE takes them, not into a wall of 429s.
 */
export function stepPacer(clock: Clock): (entries: OutboxEntry[]) => OutboxEntry[] {
  const startedAt = clock.now().getTime();
  const sent = { push: 0, multicast: 0 };
  return (entries) => {
    const elapsed = clock.now().getTime() - startedAt;
    return entries.map((entry) => {
      const endpoint = entry.job.kind === 'line.step_multicast' ? 'multicast' : 'push';
      const slot = (sent[endpoint] * 1000) / PACE_PER_SECOND[endpoint];
      sent[endpoint] += entry.job.kind === 'line.step_pushes' ? entry.job.stepSendIds.length : 1;
      return { ...entry, delayMs: Math.max(0, slot - elapsed) };
    });
  };
}

/** Why a lead's enrolment cannot go on, or null while it can. */
function stopReasonFor(lead: Lead, sequence: Sequence | undefined): StopReason | null {
  if (lead.erasedAt) return 'erased';
  if (lead.status === 'blocked') return 'blocked';
  if (lead.optedOutAt) return 'opted_out';
  if (!sequence) return 'manual';
  if (!fitsKind(sequence, lead))
    return lead.stage === 'lost' ? 'lost' : lead.stage === 'won' ? 'won' : 'manual';
  return null;
}

/**
 * One dispatch run: paused enrolments whose time came resume; `date` sequences whose moment came
 * enrol their audience; then every due step is checked against quiet hours, step days, the weekly
 * cap and the month's quota, and either queued (its outbox row written in the transaction that
 * advances the enrolment) or moved to the moment it may go. Claims use FOR UPDATE SKIP LOCKED, so
 * replicas running at once share the work and send each step once.
 */
export async function dispatchSteps(deps: DispatchDeps): Promise<DispatchResult> {
  const result: DispatchResult = {
    queued: 0,
    postponed: 0,
    skipped: 0,
    stopped: 0,
    resumed: 0,
    released: 0,
    enrolledByDate: 0,
    quotaLimited: false,
  };
  const now = deps.clock.now();
  result.resumed = await resumeDue(deps, now);
  result.enrolledByDate = await enrolDateSequences(deps, now);
  const budget = await deps.quota.budget();
  const pace = stepPacer(deps.clock);
  let remaining = budget.remaining;
  if (budget.releasedHold) {
    const released = await requeueHeld(deps, now, remaining, pace);
    result.released = released;
    remaining -= released;
  }
  while (remaining > 0) {
    const claimed = await deps.store.transaction(async (tx) => {
      const due = await tx.enrolments.claimDue(now, Math.min(BATCH, remaining));
      if (due.length === 0) return 0;
      const recent = await tx.stepSends.recentForLeads(
        [...new Set(due.map((d) => d.lead.id))],
        new Date(now.getTime() - CAP_WINDOW_MS),
      );
      const tags = await tx.tags.listForLeads(
        due
          .filter((d) =>
            sequenceById(deps.settings, d.enrolment.sequenceId)?.steps.some((s) => s.tags.length),
          )
          .map((d) => d.lead.id),
      );
      const sends: NewStepSend[] = [];
      const ready: ReadyStep[] = [];
      const updates: { id: string; patch: EnrolmentPatch }[] = [];
      for (const { enrolment, lead } of due) {
        const outcome = advance(deps.settings, enrolment, lead, {
          now,
          recent: recent.get(lead.id) ?? [],
          tags: tags.get(lead.id) ?? [],
          budgetLeft: remaining - ready.length,
        });
        updates.push({ id: enrolment.id, patch: outcome.patch });
        result[outcome.kind] += 1;
        if (outcome.kind === 'skipped') result.skipped += outcome.skippedSteps - 1;
        if (outcome.send) {
          sends.push(outcome.send);
          recent.set(lead.id, [...(recent.get(lead.id) ?? []), now]);
          ready.push({ send: outcome.send, personal: outcome.personal });
        }
        for (const skipped of outcome.skippedSends) sends.push(skipped);
      }
      await tx.enrolments.updateMany(updates, now);
      await tx.stepSends.insertMany(sends);
      await tx.outbox.enqueue(pace(stepJobs(ready)));
      remaining -= ready.length;
      deps.quota.spend(ready.length);
      return due.length;
    });
    if (claimed < BATCH) break;
  }
  if (remaining <= 0 && Number.isFinite(budget.remaining)) result.quotaLimited = true;
  return result;
}

type Outcome = {
  kind: 'queued' | 'postponed' | 'stopped' | 'skipped';
  /** The enrolment's new state, written with the batch's other enrolments. */
  patch: EnrolmentPatch;
  send?: NewStepSend;
  personal: boolean;
  skippedSends: NewStepSend[];
  skippedSteps: number;
};

/** What happens to one claimed enrolment now, and its new state. */
function advance(
  settings: SequenceSettings,
  enrolment: Enrolment,
  lead: Lead,
  ctx: { now: Date; recent: Date[]; tags: string[]; budgetLeft: number },
): Outcome {
  const { now } = ctx;
  const timezone = settings.rules.timezone;
  const sequence = sequenceById(settings, enrolment.sequenceId);
  const skippedSends: NewStepSend[] = [];
  const stop = stopReasonFor(lead, sequence);
  if (stop || !sequence) {
    return {
      kind: 'stopped',
      patch: { state: 'stopped', stopReason: stop ?? 'manual', sendAt: null, resumeAt: null, endedAt: now },
      personal: false,
      skippedSends,
      skippedSteps: 0,
    };
  }
  let index = enrolment.nextStep;
  let due = enrolment.dueAt ?? now;
  // Steps meant for other interests are skipped: the next one counts from the skipped one's due moment.
  while (
    sequence.steps[index] &&
    !stepApplies(sequence.steps[index] as Sequence['steps'][number], ctx.tags)
  ) {
    skippedSends.push({
      id: crypto.randomUUID(),
      enrolmentId: enrolment.id,
      leadId: lead.id,
      sequenceId: sequence.id,
      stepIndex: index,
      status: 'skipped',
      retryKey: null,
      dispatchedAt: now,
    });
    const patch = afterStep(sequence, index, due, timezone);
    index += 1;
    due = patch.dueAt ?? now;
    if (patch.state === 'completed') {
      return {
        kind: 'skipped',
        patch: { ...patch, endedAt: now },
        personal: false,
        skippedSends,
        skippedSteps: skippedSends.length,
      };
    }
    if (due > now) {
      return { kind: 'skipped', patch, personal: false, skippedSends, skippedSteps: skippedSends.length };
    }
  }
  const step = sequence.steps[index];
  if (!step) {
    return {
      kind: 'stopped',
      patch: { state: 'completed', dueAt: null, sendAt: null, endedAt: now },
      personal: false,
      skippedSends,
      skippedSteps: 0,
    };
  }
  const moment = nextSendMoment({ due, now, recentSends: ctx.recent, rules: settings.rules });
  if (moment.getTime() > now.getTime() || ctx.budgetLeft <= 0) {
    return {
      kind: 'postponed',
      patch: { nextStep: index, dueAt: due, sendAt: moment.getTime() > now.getTime() ? moment : now },
      personal: false,
      skippedSends,
      skippedSteps: 0,
    };
  }
  const send: NewStepSend = {
    id: crypto.randomUUID(),
    enrolmentId: enrolment.id,
    leadId: lead.id,
    sequenceId: sequence.id,
    stepIndex: index,
    status: 'queued',
    retryKey: crypto.randomUUID(),
    dispatchedAt: now,
  };
  return {
    kind: 'queued',
    patch: afterStep(sequence, index, now, timezone),
    send,
    personal: isPersonalStep(step),
    skippedSends,
    skippedSteps: 0,
  };
}

/** Paused enrolments whose SEQUENCE_RESUME_DAYS have passed go on, with a line in the lead's thread. */
async function resumeDue(deps: DispatchDeps, now: Date): Promise<number> {
  let resumed = 0;
  for (;;) {
    const count = await deps.store.transaction(async (tx) => {
      const paused = await tx.enrolments.claimResumable(now, BATCH);
      const entries: OutboxEntry[] = [];
      for (const enrolment of paused) {
        const due = dueAfterResume(enrolment.dueAt ?? now, now);
        await tx.enrolments.update(
          enrolment.id,
          { state: 'active', pausedAt: null, resumeAt: null, dueAt: due, sendAt: due },
          now,
        );
        const sequence = sequenceById(deps.settings, enrolment.sequenceId);
        if (!sequence) continue;
        entries.push({
          job: {
            kind: 'slack.notice',
            leadId: enrolment.leadId,
            notice: {
              key: 'sequence_resumed',
              sequenceName: sequence.name,
              by: null,
              days: deps.settings.resumeDays,
            },
          },
          orderKey: leadOrderKey(enrolment.leadId),
        });
        // The card's 再開 button and 一時停止中 go: it is redrawn as it is now.
        entries.push({
          job: { kind: 'slack.card', leadId: enrolment.leadId },
          orderKey: leadOrderKey(enrolment.leadId),
        });
      }
      await tx.outbox.enqueue(entries);
      return paused.length;
    });
    resumed += count;
    if (count < BATCH) return resumed;
  }
}

/** Steps held for the quota go out again, oldest first, as far as the quota allows. */
async function requeueHeld(
  deps: DispatchDeps,
  now: Date,
  budget: number,
  pace: (entries: OutboxEntry[]) => OutboxEntry[],
): Promise<number> {
  let released = 0;
  while (released < budget) {
    const count = await deps.store.transaction(async (tx) => {
      const held = await tx.stepSends.claimHeld(Math.min(BATCH, budget - released));
      const ready: ReadyStep[] = [];
      const failed: string[] = [];
      for (const { send, lead } of held) {
        const step = sequenceById(deps.settings, send.sequenceId)?.steps[send.stepIndex];
        if (!step || !canReceiveSteps(lead)) failed.push(send.id);
        else ready.push({ send, personal: isPersonalStep(step) });
      }
      await tx.stepSends.markFailed(failed, 'no longer sendable when the quota returned');
      await tx.stepSends.setQueued(
        ready.map((r) => r.send.id),
        now,
      );
      await tx.outbox.enqueue(pace(stepJobs(ready)));
      deps.quota.spend(ready.length);
      return held.length;
    });
    released += count;
    if (count < BATCH) break;
  }
  return released;
}

/**
 * `trigger: date` sequences whose moment has come enrol, once, every lead who matches the audience
 * then; their first step counts from that moment. The claim and the enrolments commit together.
 */
async function enrolDateSequences(deps: DispatchDeps, now: Date): Promise<number> {
  const timezone = deps.settings.rules.timezone;
  const today = localDate(now, timezone);
  let enrolled = 0;
  for (const sequence of deps.settings.file.sequences) {
    if (sequence.trigger !== 'date' || !sequence.startAt) continue;
    const [day = '', time = '00:00'] = sequence.startAt.split('T');
    const start = zonedTimeToInstant(day, time, timezone);
    if (start > now) continue;
    const key = `sequence-date:${sequence.id}:${sequence.startAt}`;
    enrolled += await deps.store.transaction(async (tx) => {
      // Never taken over: a run that failed rolled back its claim with it.
      if (!(await tx.cronRuns.claim(key, 'sequence-date', now, DATE_CLAIM_NEVER_STALE_MS))) return 0;
      await tx.cronRuns.finish(key, now);
      if (now.getTime() - start.getTime() > DATE_START_GRACE_MS) {
        deps.logger.warn(
          { sequence: sequence.id },
          'a date sequence’s moment passed while the service was down: not sent late',
        );
        return 0;
      }
      const leads = (await tx.leads.listWorkable(null)).filter(canReceiveSteps);
      const tags = await tx.tags.listForLeads(leads.map((lead) => lead.id));
      const rows: NewEnrolment[] = leads
        .filter((lead) => fitsAudience(sequence, lead, tags.get(lead.id) ?? [], today))
        .map((lead) => {
          const first = sequence.steps[0];
          const due = first ? stepDue(first, start, timezone) : start;
          return {
            leadId: lead.id,
            sequenceId: sequence.id,
            trigger: 'date',
            dueAt: due,
            sendAt: due,
            enrolledBy: SYSTEM_ACTOR,
            enrolledAt: now,
          };
        });
      return tx.enrolments.insertMany(rows);
    });
  }
  return enrolled;
}

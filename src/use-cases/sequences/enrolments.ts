import type { TimingSegment } from '../../domain/follow-up/purchase-timing.ts';
import { isPastCustomer, type Lead } from '../../domain/lead.ts';
import { SYSTEM_ACTOR } from '../../domain/lead-history.ts';
import {
  canReceiveSteps,
  fitsAudience,
  isImmediateStep,
  stepDue,
  stepOrderKey,
} from '../../domain/sequences/audience.ts';
import type { Sequence } from '../../domain/sequences/sequence.ts';
import { handoverAnchor } from '../../domain/sequences/step-timing.ts';
import type { Enrolment, EnrolmentPatch, OutboxEntry, Repos, StopReason } from '../../ports.ts';
import { type SequenceSettings, sequenceById } from './sequence-settings.ts';

/*
 * Enrolment rules: who starts which sequence when, and what stops it. Each function runs inside
 * the caller's transaction (the lead's row is locked there) and returns the outbox rows to queue.
 */

/** A step more than this far in the past when a lead is enrolled (an old handover date) is skipped. */
const PAST_STEP_GRACE_MS = 7 * 24 * 60 * 60_000;

/** The enrolment's fields after step `stepIndex` went out at `sentAt`: the next step's due moment, or completed. */
export function afterStep(
  sequence: Sequence,
  stepIndex: number,
  sentAt: Date,
  timezone: string,
): EnrolmentPatch {
  const next = sequence.steps[stepIndex + 1];
  if (!next) {
    return { nextStep: stepIndex + 1, state: 'completed', dueAt: null, sendAt: null, endedAt: sentAt };
  }
  const due = stepDue(next, sentAt, timezone);
  return { nextStep: stepIndex + 1, dueAt: due, sendAt: due };
}

/**
 * Enrols the lead in `sequence`, its first step counted from `anchor` (the trigger moment; the
 * handover date for after-sales). Null when the lead is already in it, or may not receive steps.
 */
export async function startSequence(
  tx: Repos,
  settings: SequenceSettings,
  lead: Lead,
  sequence: Sequence,
  opts: { at: Date; by: string; anchor?: Date },
): Promise<Enrolment | null> {
  if (!canReceiveSteps(lead) || sequence.steps.length === 0) return null;
  const timezone = settings.rules.timezone;
  let anchor = opts.anchor ?? opts.at;
  let index = 0;
  let due = stepDue(sequence.steps[0] as Sequence['steps'][number], anchor, timezone);
  // After-sales for a handover long ago: begin with the first step that is not long past.
  while (due.getTime() < opts.at.getTime() - PAST_STEP_GRACE_MS && index + 1 < sequence.steps.length) {
    anchor = due;
    index += 1;
    due = stepDue(sequence.steps[index] as Sequence['steps'][number], anchor, timezone);
  }
  const enrolment = await tx.enrolments.insert({
    leadId: lead.id,
    sequenceId: sequence.id,
    trigger: sequence.trigger,
    dueAt: due,
    sendAt: due,
    enrolledBy: opts.by,
    enrolledAt: opts.at,
  });
  if (enrolment && index > 0) {
    await tx.enrolments.update(enrolment.id, { nextStep: index }, opts.at);
    return { ...enrolment, nextStep: index };
  }
  return enrolment;
}

/** Stops the lead's live enrolments that `which` picks (all by default); returns them. */
export async function stopSequences(
  tx: Repos,
  settings: SequenceSettings,
  leadId: string,
  reason: StopReason | ((enrolment: Enrolment) => StopReason),
  at: Date,
  which: (enrolment: Enrolment, sequence: Sequence | undefined) => boolean = () => true,
): Promise<Enrolment[]> {
  const stopped: Enrolment[] = [];
  for (const enrolment of await tx.enrolments.lockLive(leadId)) {
    if (!which(enrolment, sequenceById(settings, enrolment.sequenceId))) continue;
    const why = typeof reason === 'function' ? reason(enrolment) : reason;
    await tx.enrolments.update(
      enrolment.id,
      { state: 'stopped', stopReason: why, sendAt: null, resumeAt: null, endedAt: at },
      at,
    );
    stopped.push({ ...enrolment, state: 'stopped', stopReason: why });
  }
  return stopped;
}

/**
 * The lead's segment changed (the questionnaire, a rep's 検討時期, or ageing): the segment sequence
 * of the old segment stops (segment_changed) and the new segment's starts from its first step.
 * A lead is in at most one segment-triggered sequence.
 */
export async function onSegmentChanged(
  tx: Repos,
  settings: SequenceSettings,
  lead: Lead,
  change: { from: TimingSegment | null; to: TimingSegment | null; today: string },
  at: Date,
): Promise<void> {
  if (change.from === change.to) return;
  const tags = await tx.tags.listForLead(lead.id);
  const target = change.to
    ? settings.file.sequences.find(
        (s) =>
          s.trigger === 'segment' &&
          s.segments.includes(change.to as TimingSegment) &&
          fitsAudience(s, lead, tags, change.today),
      )
    : undefined;
  await stopSequences(
    tx,
    settings,
    lead.id,
    'segment_changed',
    at,
    (e) => e.trigger === 'segment' && e.sequenceId !== target?.id,
  );
  if (target) await startSequence(tx, settings, lead, target, { at, by: SYSTEM_ACTOR });
}

/** A tag was added: sequences with `trigger: tag` naming it start. */
export async function onTagAdded(
  tx: Repos,
  settings: SequenceSettings,
  lead: Lead,
  tag: string,
  today: string,
  at: Date,
  by: string = SYSTEM_ACTOR,
): Promise<void> {
  const tags = await tx.tags.listForLead(lead.id);
  for (const sequence of settings.file.sequences) {
    if (sequence.trigger !== 'tag' || !sequence.tags.includes(tag)) continue;
    if (!fitsAudience(sequence, lead, tags, today)) continue;
    await startSequence(tx, settings, lead, sequence, { at, by });
  }
}

/**
 * The lead was won or lost (`after` is the lead as closed): nurture stops; a past customer (成約
 * with 引き渡し日) enters the handover sequences, counted from the handover date. A sequence the
 * lead's reply had paused stops as replied_and_closed: the owner had taken over.
 */
export async function onLeadClosed(
  tx: Repos,
  settings: SequenceSettings,
  after: Lead,
  at: Date,
): Promise<void> {
  const closed: StopReason = after.stage === 'won' ? 'won' : 'lost';
  await stopSequences(
    tx,
    settings,
    after.id,
    (e) => (e.state === 'paused' ? 'replied_and_closed' : closed),
    at,
    (e, sequence) => e.trigger !== 'handover' && sequence?.kind !== 'customer',
  );
  if (!isPastCustomer(after)) return;
  const anchor = handoverAnchor(after.handoverDate, settings.rules.timezone);
  for (const sequence of settings.file.sequences) {
    if (sequence.trigger !== 'handover') continue;
    if (!fitsAudience(sequence, after, await tx.tags.listForLead(after.id), '')) continue;
    await startSequence(tx, settings, after, sequence, { at, by: SYSTEM_ACTOR, anchor });
  }
}

/**
 * A person added the account (or came back after a block): `follow` sequences start. Without one
 * in the file nothing is sent (a company may greet with LINE's own greeting message instead).
 */
export async function onFollowed(
  tx: Repos,
  settings: SequenceSettings,
  lead: Lead,
  input: { at: Date; today: string; replyToken: string | null; receivedAt: Date },
): Promise<OutboxEntry[]> {
  const follows = settings.file.sequences.filter((s) => s.trigger === 'follow');
  const entries: OutboxEntry[] = [];
  let replyToken = input.replyToken;
  for (const sequence of follows) {
    if (!fitsAudience(sequence, lead, [], input.today)) continue;
    const enrolment = await startSequence(tx, settings, lead, sequence, { at: input.at, by: SYSTEM_ACTOR });
    if (enrolment?.nextStep !== 0 || !isImmediateStep(sequence.steps[0])) continue;
    // The greeting answers the follow at once, by the free reply token while it is fresh: it is
    // the lead's own action, so quiet hours do not hold it, and it counts toward the cap.
    const send = {
      id: crypto.randomUUID(),
      enrolmentId: enrolment.id,
      leadId: lead.id,
      sequenceId: sequence.id,
      stepIndex: 0,
      status: 'queued' as const,
      retryKey: crypto.randomUUID(),
      dispatchedAt: input.at,
    };
    await tx.stepSends.insertMany([send]);
    await tx.enrolments.update(
      enrolment.id,
      afterStep(sequence, 0, input.at, settings.rules.timezone),
      input.at,
    );
    entries.push({
      job: {
        kind: 'line.step',
        stepSendId: send.id,
        leadId: lead.id,
        replyToken,
        receivedAt: input.receivedAt.toISOString(),
      },
      orderKey: stepOrderKey(lead.id),
      retryKey: send.retryKey,
    });
    // One reply token answers one request.
    replyToken = null;
  }
  return entries;
}

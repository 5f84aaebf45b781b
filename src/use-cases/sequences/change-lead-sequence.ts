import { localDate } from '../../domain/business-calendar.ts';
import { type Lead, leadOrderKey } from '../../domain/lead.ts';
import { canReceiveSteps, fitsAudience } from '../../domain/sequences/audience.ts';
import { dueAfterResume } from '../../domain/sequences/pause-resume.ts';
import { canActOnLead } from '../../domain/staff.ts';
import type {
  Clock,
  EnrolmentPatch,
  EnrolmentState,
  OutboxEntry,
  SequenceNotice,
  Store,
} from '../../ports.ts';
import { type Duplicate, transactOnce } from '../transact-once.ts';
import { startSequence } from './enrolments.ts';
import { type SequenceSettings, sequenceById } from './sequence-settings.ts';

/** What a rep or manager does to a lead's step sequences from its card. */
export type SequenceAction =
  | { kind: 'pause'; enrolmentId: string }
  | { kind: 'resume'; enrolmentId: string }
  | { kind: 'stop'; enrolmentId: string }
  /** Only `trigger: manual` sequences are started by hand. */
  | { kind: 'enrol'; sequenceId: string };

export type SequenceActionResult =
  | { kind: 'done'; sequenceName: string }
  /** This press was already processed: it had its effect the first time. */
  | Duplicate
  | { kind: 'no_such_lead' }
  | { kind: 'forbidden' }
  /** Not an enrolment of this lead (a forged or stale value). */
  | { kind: 'no_such_enrolment' }
  /** Already as asked (a second press, a stale card), or ended: nothing to do. */
  | { kind: 'unchanged'; state: EnrolmentState }
  /** Not a manual sequence of the file. */
  | { kind: 'no_such_sequence' }
  /** The lead blocked the account, opted out of step messages, or was erased. */
  | { kind: 'cannot_receive'; why: 'blocked' | 'opted_out' }
  /** The sequence's audience (kind, tags, segments) leaves the lead out. */
  | { kind: 'not_in_audience' }
  | { kind: 'already_enrolled' };

/**
 * The 一時停止 / 再開 / 停止 buttons and the manual-enrolment select of a lead card. As every lead
 * action: the actor must own the lead or be a manager, checked in the transaction with the lead's
 * row locked; the Slack press is recorded with the change (`idempotencyKey`), so a redelivered
 * press has no second effect; and a press that changes nothing writes and tells nothing.
 *
 * A manual pause has no resume moment: only 再開 resumes it (a pause by the lead's reply resumes by
 * itself after SEQUENCE_RESUME_DAYS). A step that came due meanwhile goes out after the resume.
 */
export async function changeLeadSequence(
  deps: { store: Store; clock: Clock; sequences: SequenceSettings },
  input: { actorId: string; leadId: string; action: SequenceAction; idempotencyKey?: string },
): Promise<SequenceActionResult> {
  const now = deps.clock.now();
  const settings = deps.sequences;
  const once = {
    key: input.idempotencyKey,
    at: now,
    tookEffect: (r: SequenceActionResult) => r.kind === 'done',
  };
  return transactOnce(deps.store, once, async (tx): Promise<SequenceActionResult> => {
    const lead = await tx.leads.get(input.leadId, { lock: true });
    if (!lead || lead.erasedAt) return { kind: 'no_such_lead' };
    if (!canActOnLead(await tx.staff.get(input.actorId), lead)) return { kind: 'forbidden' };
    const { action } = input;
    const by = input.actorId;
    /** The thread is told, and the card redrawn with the enrolment as it is now. */
    const effect = async (name: string, notice: SequenceNotice): Promise<SequenceActionResult> => {
      const key = leadOrderKey(lead.id);
      const entries: OutboxEntry[] = [
        { job: { kind: 'slack.notice', leadId: lead.id, notice }, orderKey: key },
        { job: { kind: 'slack.card', leadId: lead.id }, orderKey: key },
      ];
      await tx.outbox.enqueue(entries);
      return { kind: 'done', sequenceName: name };
    };

    if (action.kind === 'enrol') {
      const sequence = sequenceById(settings, action.sequenceId);
      if (sequence?.trigger !== 'manual') return { kind: 'no_such_sequence' };
      const refusal = receiveRefusal(lead);
      if (refusal) return refusal;
      const tags = await tx.tags.listForLead(lead.id);
      if (!fitsAudience(sequence, lead, tags, localDate(now, settings.rules.timezone)))
        return { kind: 'not_in_audience' };
      const enrolment = await startSequence(tx, settings, lead, sequence, { at: now, by });
      if (!enrolment) return { kind: 'already_enrolled' };
      return effect(sequence.name, { key: 'sequence_enrolled', sequenceName: sequence.name, by });
    }

    const enrolment = await tx.enrolments.get(action.enrolmentId, { lock: true });
    if (!enrolment || enrolment.leadId !== lead.id) return { kind: 'no_such_enrolment' };
    const name = sequenceById(settings, enrolment.sequenceId)?.name ?? enrolment.sequenceId;
    const unchanged = { kind: 'unchanged' as const, state: enrolment.state };
    let patch: EnrolmentPatch;
    let notice: SequenceNotice;
    switch (action.kind) {
      case 'pause':
        if (enrolment.state !== 'active') return unchanged;
        patch = { state: 'paused', sendAt: null, pausedAt: now, resumeAt: null };
        notice = { key: 'sequence_paused', sequenceName: name, by };
        break;
      case 'resume': {
        if (enrolment.state !== 'paused') return unchanged;
        const refusal = receiveRefusal(lead);
        if (refusal) return refusal;
        const due = dueAfterResume(enrolment.dueAt ?? now, now);
        patch = { state: 'active', dueAt: due, sendAt: due, pausedAt: null, resumeAt: null };
        notice = { key: 'sequence_resumed', sequenceName: name, by };
        break;
      }
      case 'stop':
        if (enrolment.state !== 'active' && enrolment.state !== 'paused') return unchanged;
        patch = { state: 'stopped', stopReason: 'manual', sendAt: null, resumeAt: null, endedAt: now };
        notice = { key: 'sequence_stopped', sequenceName: name, by };
        break;
    }
    await tx.enrolments.update(enrolment.id, patch, now);
    return effect(name, notice);
  });
}

function receiveRefusal(lead: Lead): SequenceActionResult | null {
  if (canReceiveSteps(lead)) return null;
  return { kind: 'cannot_receive', why: lead.status === 'blocked' ? 'blocked' : 'opted_out' };
}

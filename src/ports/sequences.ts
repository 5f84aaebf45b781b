import type { TimingSegment } from '../domain/follow-up/purchase-timing.ts';
import type { Lead } from '../domain/lead.ts';
import type { SequenceTrigger } from '../domain/sequences/sequence.ts';

// Step sequences (ステップ配信): enrolments, the steps sent, tags, LINE's monthly quota.

export type EnrolmentState = 'active' | 'paused' | 'completed' | 'stopped';

/** Why an enrolment stopped (a contract: the README lists these). */
export type StopReason =
  /** Paused by the lead's reply, then the deal was closed while the owner had it. */
  | 'replied_and_closed'
  | 'blocked'
  | 'opted_out'
  | 'won'
  | 'lost'
  /** The lead entered another segment: its segment sequence starts over. */
  | 'segment_changed'
  | 'erased'
  /** A rep or manager pressed 停止, or the sequence is no longer in the file. */
  | 'manual';

export interface Enrolment {
  id: string;
  leadId: string;
  sequenceId: string;
  trigger: SequenceTrigger;
  state: EnrolmentState;
  stopReason: StopReason | null;
  /** Index of the next step to send. */
  nextStep: number;
  /** When the next step is due by the sequence (null once ended). */
  dueAt: Date | null;
  /** When the dispatcher looks at it again (only for active enrolments). */
  sendAt: Date | null;
  pausedAt: Date | null;
  resumeAt: Date | null;
  enrolledBy: string;
  enrolledAt: Date;
  endedAt: Date | null;
}

export type NewEnrolment = Pick<
  Enrolment,
  'leadId' | 'sequenceId' | 'trigger' | 'dueAt' | 'sendAt' | 'enrolledBy' | 'enrolledAt'
>;

export type EnrolmentPatch = Partial<
  Pick<
    Enrolment,
    'state' | 'stopReason' | 'nextStep' | 'dueAt' | 'sendAt' | 'pausedAt' | 'resumeAt' | 'endedAt'
  >
>;

export type StepSendStatus = 'queued' | 'sent' | 'held' | 'failed' | 'skipped';

export interface StepSend {
  id: string;
  enrolmentId: string;
  leadId: string;
  sequenceId: string;
  stepIndex: number;
  status: StepSendStatus;
  retryKey: string | null;
  dispatchedAt: Date;
  sentAt: Date | null;
  error: string | null;
}

export type NewStepSend = Omit<StepSend, 'sentAt' | 'error'>;

/** Per sequence, for `/tsuikyaku sequences`. */
export interface SequenceCounts {
  sequenceId: string;
  enrolled: number;
  active: number;
  paused: number;
  completed: number;
  stopped: number;
  /** Steps sent since the start of the month given. */
  sentThisMonth: number;
}

/** LINE's monthly quota as this month has seen it. */
export interface QuotaState {
  month: string;
  heldSince: Date | null;
  warned80At: Date | null;
  warned100At: Date | null;
}

/** What a lead reads on LINE outside the sequences: answers to the questionnaire and the keywords. */
export type LeadLineMessage =
  | { key: 'timing_thanks'; askInterest: boolean }
  | { key: 'interest_thanks' }
  | { key: 'opted_out' }
  | { key: 'opted_in' }
  /** The 「ご検討時期は？」 question again, when a lead's timing passed with no news. */
  | { key: 'timing_question' };

/** Outbox work of step sequences. */
export type SequenceJob =
  /** One step to one lead, rendered when delivered; `replyToken` first when fresh (the greeting on follow). */
  | { kind: 'line.step'; stepSendId: string; leadId: string; replyToken?: string | null; receivedAt?: string }
  /**
   * A dispatch run's personal steps, one push each (each with its step send's retry key), a few
   * dozen to a row so that a run of 100,000 costs a few thousand rows, not 100,000.
   */
  | { kind: 'line.step_pushes'; stepSendIds: string[] }
  /** One step, identical for every recipient, by multicast (up to 500 recipients). */
  | { kind: 'line.step_multicast'; sequenceId: string; stepIndex: number; stepSendIds: string[] }
  /** A free answer to the lead (reply token while fresh, push otherwise); never held by the quota. */
  | {
      kind: 'line.lead_answer';
      leadId: string;
      replyToken: string | null;
      receivedAt: string;
      message: LeadLineMessage;
    }
  /** Tells managers about LINE's monthly quota. */
  | { kind: 'slack.quota'; notice: QuotaNotice; to: string };

export type QuotaNotice =
  | { key: 'quota_warning'; percent: 80 | 100; used: number; limit: number; month: string }
  | { key: 'quota_held'; month: string }
  | { key: 'quota_resumed'; month: string };

/** What a lead's thread is told about its sequences. */
export type SequenceNotice =
  /** One collapsed line per step sent: 「ステップ配信: 3ヶ月以内のお客様へ 2/5」. */
  | { key: 'step_sent'; sequenceName: string; step: number; steps: number }
  | { key: 'sequence_paused_by_reply'; sequenceName: string }
  /** `by` null: by itself, `days` (SEQUENCE_RESUME_DAYS) after the lead's last message. */
  | { key: 'sequence_resumed'; sequenceName: string; by: string | null; days?: number }
  | { key: 'sequence_paused'; sequenceName: string; by: string }
  | { key: 'sequence_stopped'; sequenceName: string; by: string }
  | { key: 'sequence_enrolled'; sequenceName: string; by: string }
  /** A rep or manager changed the lead's tags on its card. */
  | { key: 'tags_changed'; added: string[]; removed: string[]; by: string }
  | { key: 'lead_opted_out' }
  | { key: 'lead_opted_in' }
  | { key: 'questionnaire_timing'; segment: TimingSegment }
  | { key: 'questionnaire_interest'; interest: string };

/** What step sequences post in Slack. */
export interface SequenceSlack {
  /** A manager's DM (`to` is their user ID) about LINE's monthly quota. */
  postQuotaNotice(to: string, notice: QuotaNotice): Promise<void>;
}

/** A due enrolment with its lead, as the dispatcher claims them. */
export interface DueEnrolment {
  enrolment: Enrolment;
  lead: Lead;
}

export interface SequenceRepos {
  enrolments: {
    /** Null when the lead already has a live (active or paused) enrolment in that sequence. */
    insert(enrolment: NewEnrolment): Promise<Enrolment | null>;
    /** Enrols many leads at once (a `date` sequence); leads already in it are skipped. Returns how many. */
    insertMany(enrolments: NewEnrolment[]): Promise<number>;
    get(id: string, opts?: { lock?: boolean }): Promise<Enrolment | null>;
    /** The lead's enrolments, live ones first, then the newest. */
    listForLead(leadId: string): Promise<Enrolment[]>;
    /** Active or paused, locked for the rest of the transaction. */
    lockLive(leadId: string): Promise<Enrolment[]>;
    update(id: string, patch: EnrolmentPatch, at: Date): Promise<void>;
    /** Many enrolments, each with its own patch, in a few statements (a dispatch batch). */
    updateMany(updates: { id: string; patch: EnrolmentPatch }[], at: Date): Promise<void>;
    /** Active enrolments whose send time has come, with their leads, locked (FOR UPDATE SKIP LOCKED). */
    claimDue(now: Date, limit: number): Promise<DueEnrolment[]>;
    /** Paused enrolments whose auto-resume moment has come, locked (FOR UPDATE SKIP LOCKED). */
    claimResumable(now: Date, limit: number): Promise<Enrolment[]>;
    /** Moves every active enrolment of the leads to paused (and every paused one's resume), returns the newly paused. */
    pauseForLeads(leads: { leadId: string; resumeAt: Date }[], at: Date): Promise<Enrolment[]>;
    counts(monthStart: Date): Promise<SequenceCounts[]>;
    /** Who is in a sequence now (active or paused), the next send first, and how many in all. */
    listLive(sequenceId: string, limit: number): Promise<{ members: DueEnrolment[]; total: number }>;
  };
  stepSends: {
    insertMany(sends: NewStepSend[]): Promise<void>;
    get(id: string): Promise<StepSend | null>;
    /** The steps with their leads and each lead's current thread (null before its card), in one read. */
    getManyWithLeads(
      ids: string[],
    ): Promise<{ send: StepSend; lead: Lead; thread: { channelId: string; threadTs: string } | null }[]>;
    /** The dispatch times of the leads' steps that count toward the weekly cap, since `since`. */
    recentForLeads(leadIds: string[], since: Date): Promise<Map<string, Date[]>>;
    listForLead(leadId: string): Promise<StepSend[]>;
    markSent(ids: string[], at: Date): Promise<void>;
    markFailed(ids: string[], error: string): Promise<void>;
    markHeld(ids: string[]): Promise<void>;
    /** Held steps, oldest first, locked (FOR UPDATE SKIP LOCKED), with their leads; set back to queued by the caller. */
    claimHeld(limit: number): Promise<{ send: StepSend; lead: Lead }[]>;
    setQueued(ids: string[], at: Date): Promise<void>;
  };
  tags: {
    /** False when the lead already had the tag. */
    add(leadId: string, tag: string, addedBy: string, at: Date): Promise<boolean>;
    /** False when the lead did not have it. */
    remove(leadId: string, tag: string): Promise<boolean>;
    listForLead(leadId: string): Promise<string[]>;
    listForLeads(leadIds: string[]): Promise<Map<string, string[]>>;
  };
  quota: {
    get(month: string): Promise<QuotaState | null>;
    /** Sets the hold for the month; true when it was not held before. */
    hold(month: string, at: Date): Promise<boolean>;
    /** Clears every hold; true when one was set. */
    release(at: Date): Promise<boolean>;
    /** Records the warning for the month once; true for the first caller. */
    warnOnce(month: string, percent: 80 | 100, at: Date): Promise<boolean>;
  };
}

/** An active or paused enrolment as a lead card shows it. */
export interface LiveEnrolmentView {
  enrolment: Enrolment;
  /** The sequence's name (its id when it is no longer in the file). */
  name: string;
  /** How many steps the sequence has; null when it is no longer in the file. */
  steps: number | null;
  /** When the next step may go out (quiet hours, step days and the weekly cap applied); null while paused. */
  nextSendAt: Date | null;
}

/** A lead's step sequences and tags, on its card. */
export interface LeadSequencesView {
  live: LiveEnrolmentView[];
  /** The `trigger: manual` sequences the lead may be enrolled in now (from the card's select). */
  manual: { id: string; name: string }[];
  /** The lead's tags (趣味・関心), oldest first. */
  tags: string[];
}

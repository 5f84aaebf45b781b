import type { Digest } from '../domain/digest.ts';
import type { EscalationAudience } from '../domain/escalation.ts';
import type { Lead } from '../domain/lead.ts';
import type { FollowUpView } from '../domain/lead-follow-up.ts';
import type { Staff } from '../domain/staff.ts';
import type { TeamOverviewRow } from './lead-list.ts';
import type { LeadSequencesView } from './sequences.ts';
import type { SlackPosted } from './slack.ts';

// Follow-up: touches and the 4-touch rule, the lead card's follow-up fields, digests, escalation.

/** Outbox work of follow-up. */
export type FollowUpJob =
  /** A rep's morning digest for a business day, built when delivered. */
  | { kind: 'slack.digest'; repId: string; date: string }
  /**
   * Speed-to-lead: 1 reminds the owner, 2 alerts the team channel, 3 tells one manager (`to`);
   * `reminder` reminds the owner again after the last step. `minutes` is the wait when queued;
   * the alarm says the wait when it is posted.
   */
  | {
      kind: 'slack.escalation';
      leadId: string;
      level: number;
      minutes: number;
      to?: string;
      reminder?: boolean;
    }
  /** Redraw a team-channel alarm in place (chat.update): who took the lead over, and no button. */
  | { kind: 'slack.alarm_taken'; leadId: string; alarmId: string }
  /** The one honest out-of-hours acknowledgement to a lead (free reply token while still valid). */
  | { kind: 'line.ack'; leadId: string; replyToken: string | null; receivedAt: string };

export interface NewTouch {
  leadId: string;
  channel: 'line' | 'phone' | 'visit' | 'email' | 'letter' | 'other';
  direction: 'outbound' | 'inbound';
  outcome: 'reached' | 'no_answer' | 'left_message' | 'replied' | 'sent' | 'met' | 'other';
  note: string | null;
  authorId: string | null;
  messageId: string | null;
  at: Date;
}

export interface StoredTouch extends NewTouch {
  id: string;
}

/** A team-channel alarm as posted: its thread and its 代わりに対応する button are recognised by it. */
export interface EscalationAlarm {
  id: string;
  leadId: string;
  channelId: string;
  ts: string;
  /** The lead's owner when the alarm was posted (null: the team). */
  ownerId: string | null;
  /** The wait the alarm is about (the lead's awaitingReplySince then). */
  waitingSince: Date;
  /** Business minutes the message had waited when the alarm was posted. */
  waitedMinutes: number;
  postedAt: Date;
  takenBy: string | null;
  takenAt: Date | null;
  /** When the hint about how to help was posted in the alarm's thread (once). */
  hintedAt: Date | null;
}

export interface FollowUpRepos {
  alarms: {
    /** Records a posted alarm; a second record of the same post (a retried delivery) is ignored. */
    insert(alarm: Omit<EscalationAlarm, 'id' | 'takenBy' | 'takenAt' | 'hintedAt'>): Promise<void>;
    get(id: string): Promise<EscalationAlarm | null>;
    /** `lock` holds the row for the rest of the transaction, so two presses are served one by one. */
    findByChannelTs(
      channelId: string,
      ts: string,
      opts?: { lock?: boolean },
    ): Promise<EscalationAlarm | null>;
    markTaken(id: string, by: string, at: Date): Promise<void>;
    /** True the first time only: the hint is posted once per alarm thread. */
    markHinted(id: string, at: Date): Promise<boolean>;
  };
  touches: {
    /** False when a touch for the same LINE message was already recorded. */
    insert(touch: NewTouch): Promise<boolean>;
    listForLead(leadId: string, limit: number): Promise<StoredTouch[]>;
    /** Documented outbound attempts (calls, visits, messages...) for the 4-touch rule. */
    countOutbound(leadId: string): Promise<number>;
  };
}

export interface LeadCardView {
  lead: Lead;
  owner: Staff | null;
  /** Where the lead stands in follow-up today (timing segment, amount band, next date). */
  followUp: FollowUpView;
  /** Show the 担当する button (team channel, unassigned). */
  claimable: boolean;
  /**
   * Set on the card of a thread the lead has left: who works it now (null: the team channel).
   * Such a card says where the lead went and has no buttons.
   */
  movedTo?: string | null;
  /** Why the card is posted: a new lead, or one handed to this owner (claim, reassign, hand-over). */
  arrival?: 'new' | 'handed_over';
  /** The lead's live step sequences, the manual ones it may join, and its tags. */
  sequences: LeadSequencesView;
}

/** Per owner (every active rep, and anyone else owning a lead): their leads, the waiting and neglected ones named. */
export type TeamSummary = TeamOverviewRow[];

export interface EscalationView {
  audience: EscalationAudience;
  /** Business minutes the message has waited, as the alarm says it. */
  waitedMinutes: number;
  lead: Lead;
  /** Where to post: the lead's thread (owner, reminder), the team channel, a manager's DM. */
  channel: string;
  threadTs: string | null;
  ownerId: string | null;
}

/** A team-channel alarm redrawn once someone took the lead over. */
export interface TakenAlarmView {
  lead: Lead;
  waitedMinutes: number;
  /** The owner the alarm named. */
  ownerId: string | null;
  takenBy: string;
}

/** What follow-up posts in Slack. */
export interface FollowUpSlack {
  /** A manager's digest also carries the team summary. */
  postDigest(
    repId: string,
    digest: Digest,
    date: string,
    now: Date,
    team?: TeamSummary,
  ): Promise<SlackPosted>;
  postEscalation(input: EscalationView): Promise<SlackPosted>;
  updateEscalation(channelId: string, ts: string, view: TakenAlarmView): Promise<void>;
}

import type { Digest } from '../domain/digest.ts';
import type { Lead } from '../domain/lead.ts';
import type { FollowUpView } from '../domain/lead-follow-up.ts';
import type { Staff } from '../domain/staff.ts';
import type { TeamOverviewRow } from './lead-list.ts';
import type { SlackPosted } from './slack.ts';

// Follow-up: touches and the 4-touch rule, the lead card's follow-up fields, digests, escalation.

/** Outbox work of follow-up. */
export type FollowUpJob =
  /** A rep's morning digest for a business day, built when delivered. */
  | { kind: 'slack.digest'; repId: string; date: string }
  /** Speed-to-lead: 1 reminds the owner, 2 alerts the team channel, 3 tells one manager (`to`). */
  | { kind: 'slack.escalation'; leadId: string; level: number; minutes: number; to?: string }
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

export interface FollowUpRepos {
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
}

/** Per owner (every active rep, and anyone else owning a lead): their leads, the waiting and neglected ones named. */
export type TeamSummary = TeamOverviewRow[];

export interface EscalationView {
  level: number;
  minutes: number;
  lead: Lead;
  /** Where to post: the lead's thread (level 1), the team channel (2), a manager's DM (3). */
  channel: string;
  threadTs: string | null;
  ownerId: string | null;
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
  postEscalation(input: EscalationView): Promise<void>;
}

export type LeadStatus = 'active' | 'blocked';
export type LeadSource = 'follow' | 'message';
export type LeadKind = 'lead' | 'customer';
/** open: being worked; nurture: long-term low-load contact after 4+ unanswered attempts; won/lost: closed. */
export type LeadStage = 'open' | 'nurture' | 'won' | 'lost';

export interface Lead {
  id: string;
  lineUserId: string;
  displayName: string | null;
  pictureUrl: string | null;
  kind: LeadKind;
  status: LeadStatus;
  source: LeadSource;
  ownerId: string | null;
  followedAt: Date | null;
  blockedAt: Date | null;
  lastInboundAt: Date | null;
  /** 'YYYY-MM' or 'YYYY-MM-DD': when the lead expects to buy (購入時期). */
  purchaseTiming: string | null;
  announcedSegment: string | null;
  amountYen: number | null;
  stage: LeadStage;
  closedAt: Date | null;
  closeReason: string | null;
  /** 'YYYY-MM-DD': no follow-up is due before this day. */
  snoozedUntil: string | null;
  /** 'YYYY-MM-DD': for past customers (既存顧客), when the house was handed over. */
  handoverDate: string | null;
  lastTouchAt: Date | null;
  lastAttemptAt: Date | null;
  unansweredAttempts: number;
  awaitingReplySince: Date | null;
  escalationLevel: number;
  /** When the last speed-to-lead alarm of the current wait went out (or the lead was taken over). */
  escalatedAt: Date | null;
  autoAckedAt: Date | null;
  /** Set when the person's data was erased on request; nothing personal is left on the row. */
  erasedAt: Date | null;
  /** Set when the lead sent an opt-out keyword (配信停止): no step sequence reaches them. */
  optedOutAt: Date | null;
  /** When 「ご検討時期は？」 was asked again because the timing had passed with no news (at most once). */
  timingAskedAt: Date | null;
  createdAt: Date;
}

/** The stages of a deal still being worked: not yet won or lost. */
export const OPEN_DEAL_STAGES = ['open', 'nurture'] as const satisfies readonly LeadStage[];

export function isOpenDeal(lead: Pick<Lead, 'stage'>): boolean {
  return (OPEN_DEAL_STAGES as readonly LeadStage[]).includes(lead.stage);
}

/** A won lead with a handover date is a past customer (既存顧客), followed up on the after-sales calendar. */
export function isPastCustomer<L extends Pick<Lead, 'kind' | 'handoverDate'>>(
  lead: L,
): lead is L & { kind: 'customer'; handoverDate: string } {
  return lead.kind === 'customer' && lead.handoverDate !== null;
}

/**
 * A lead someone follows up: an open deal, or a past customer on the after-sales calendar. The
 * morning digest is built from these, and only these get follow-up buttons.
 */
export function isWorkable(lead: Pick<Lead, 'stage' | 'kind' | 'handoverDate' | 'erasedAt'>): boolean {
  return !isErased(lead) && (isOpenDeal(lead) || isPastCustomer(lead));
}

/** A lead whose person asked to be erased: nobody to follow up, only numbers left. */
export function isErased(lead: Pick<Lead, 'erasedAt'>): boolean {
  return lead.erasedAt !== null;
}

/** The lead's last message still waits for a rep's answer (a blocked lead cannot be answered). */
export function isAwaitingReply(lead: Pick<Lead, 'awaitingReplySince' | 'status'>): boolean {
  return lead.awaitingReplySince !== null && lead.status === 'active';
}

/** Leads without an owner are worked from the team channel until a rep claims them. */
export const TEAM_TARGET = 'team';

/** Where the lead's Slack thread lives: its owner's DM, or the team channel. */
export function threadTargetOf(lead: Pick<Lead, 'ownerId'>): string {
  return lead.ownerId ?? TEAM_TARGET;
}

/** Every outbox row about one lead shares this key, so its messages reach Slack and LINE in order. */
export function leadOrderKey(leadId: string): string {
  return `lead:${leadId}`;
}

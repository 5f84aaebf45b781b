import type { Lead, LeadSource } from '../domain/lead.ts';
import type { LeadHistoryEntry } from '../domain/lead-history.ts';

// Leads: the rows, their append-only history, and erasure on request.

export type LeadPatch = Partial<
  Pick<
    Lead,
    | 'purchaseTiming'
    | 'announcedSegment'
    | 'amountYen'
    | 'stage'
    | 'closedAt'
    | 'closeReason'
    | 'snoozedUntil'
    | 'handoverDate'
    | 'kind'
    | 'lastTouchAt'
    | 'lastAttemptAt'
    | 'unansweredAttempts'
    | 'awaitingReplySince'
    | 'escalationLevel'
    | 'escalatedAt'
    | 'autoAckedAt'
    | 'lastInboundAt'
    | 'status'
    | 'blockedAt'
    | 'optedOutAt'
    | 'timingAskedAt'
  >
>;

/** What erasing a lead removes or anonymises, counted. */
export interface ErasureInventory {
  messages: number;
  touches: number;
  webhookEvents: number;
  outboxRows: number;
  deadLetters: number;
  historyNotes: number;
  threads: number;
}

export interface LeadRepos {
  leads: {
    /** `lock` takes the row lock for the rest of the transaction (serialises events of one lead). */
    findByLineUserId(lineUserId: string, opts?: { lock?: boolean }): Promise<Lead | null>;
    /** Reads and locks several leads, in id order so that concurrent transactions never deadlock. */
    lockManyByLineUserId(lineUserIds: string[]): Promise<Lead[]>;
    /** `lock` takes the row lock for the rest of the transaction (serialises changes of one lead). */
    get(id: string, opts?: { lock?: boolean }): Promise<Lead | null>;
    /** Creates the lead, or returns the existing one (concurrent first events for one user). */
    insertOrGet(input: { lineUserId: string; source: LeadSource; status: 'active'; at: Date }): Promise<{
      lead: Lead;
      created: boolean;
    }>;
    setStatus(id: string, status: Lead['status'], at: Date): Promise<void>;
    setOwner(id: string, ownerId: string | null, at: Date): Promise<void>;
    /** Sets the owner only if the lead has none; false when someone else was first. */
    claim(id: string, ownerId: string, at: Date): Promise<boolean>;
    /** Moves the lead from owner `from` to `to`; false when its owner is no longer `from`. */
    transferOwner(id: string, from: string | null, to: string, at: Date): Promise<boolean>;
    setProfile(
      id: string,
      profile: { displayName: string | null; pictureUrl: string | null },
      at: Date,
    ): Promise<void>;
    listActiveOwnedBy(ownerId: string): Promise<Lead[]>;
    /** Changes the follow-up fields of a lead (timing, amount, stage, snooze, denormalised touch state). */
    patch(id: string, patch: LeadPatch, at: Date): Promise<void>;
    /** Open and nurture leads of the given owners (the morning digest's input), for every owner when null. */
    listWorkable(ownerIds: string[] | null): Promise<Lead[]>;
    /** Leads whose message waits for an answer, the longest waiting first. */
    listAwaitingReply(): Promise<Lead[]>;
    /** Moves the escalation level from `from` to `to` (the alarm's time is `at`); false when someone already moved it. */
    advanceEscalation(id: string, from: number, to: number, at: Date): Promise<boolean>;
    listWithTiming(): Promise<Lead[]>;
    /** Finds leads whose name contains `text` (case-insensitive), newest first. */
    search(text: string, limit: number): Promise<Lead[]>;
  };
  /** The append-only lead history: written beside every lead change, in its transaction. */
  history: {
    append(entries: readonly LeadHistoryEntry[]): Promise<void>;
    /** Oldest first. */
    listForLead(leadId: string): Promise<LeadHistoryEntry[]>;
    /** Clears the free text people wrote in a lead's history (erasure; the facts stay). */
    eraseNotes(leadId: string): Promise<void>;
  };
  /** Erasing a person's data on request (APPI). */
  erasure: {
    /** What erasing the lead would remove, counted (the confirmation shows it). */
    inventory(lead: Lead): Promise<ErasureInventory>;
    /**
     * Deletes or anonymises everything stored that identifies the person: messages, touch notes,
     * raw webhook events and dead letters naming the LINE user, every outbox row about the lead,
     * profile fields. Null when the lead was already erased (the row stays locked until commit).
     */
    erase(lead: Lead, at: Date): Promise<ErasureInventory | null>;
  };
}

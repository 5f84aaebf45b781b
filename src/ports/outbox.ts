import type { Repos } from '../ports.ts';
import type { ExportJob } from './export.ts';
import type { FollowUpJob } from './follow-up.ts';
import type { RelayJob } from './relay.ts';
import type { SequenceJob } from './sequences.ts';
import type { StaffJob } from './staff.ts';
import type { StatsJob } from './stats.ts';

// The transactional outbox: every LINE or Slack call, written with the change that causes it.

/** Tells the team channel that a row could not be delivered. */
export type AlertJob = {
  kind: 'slack.alert';
  leadId: string | null;
  failedKind: OutboxJob['kind'];
  error: string;
};

/** Work for LINE or Slack, written in the same transaction as the change that causes it: each feature's jobs. */
export type OutboxJob = RelayJob | FollowUpJob | StaffJob | AlertJob | SequenceJob | ExportJob | StatsJob;

export interface OutboxItem {
  id: number;
  job: OutboxJob;
  orderKey: string;
  retryKey: string | null;
  attempts: number;
  createdAt: Date;
  /** The database's time at the claim: outbox ages are measured on the database clock, never the app's. */
  claimedAt: Date;
}

export interface OutboxEntry {
  job: OutboxJob;
  orderKey: string;
  /** Set for LINE pushes: the X-Line-Retry-Key every attempt reuses. */
  retryKey?: string;
  /** Work that must exist once (a rep's digest for a day): a second entry with the key is dropped. */
  dedupeKey?: string;
  /** Not delivered before this long after the write (on the database's clock): paced step sends. */
  delayMs?: number;
  /**
   * Which due rows go first: 'conversation' (the default: relays, replies, notices), then 'steps'
   * (a dispatch run's step sends), then 'step_lines' (their thread lines and cards). A run of
   * 100,000 steps thus never holds up a lead's message, and its Slack lines never hold up LINE.
   */
  lane?: OutboxLane;
}

export type OutboxLane = 'conversation' | 'steps' | 'step_lines';

export interface OutboxRepos {
  outbox: {
    enqueue(entries: OutboxEntry[]): Promise<void>;
  };
}

/** The delivery side of the outbox: what a worker needs to claim and settle rows. */
export interface OutboxQueue {
  /** Claims up to `limit` due rows (FOR UPDATE SKIP LOCKED), at most one per order key, oldest first. */
  claim(limit: number, leaseMs: number): Promise<OutboxItem[]>;
  complete(item: OutboxItem, followUps: OutboxEntry[]): Promise<void>;
  retryLater(item: OutboxItem, delayMs: number, error: string): Promise<void>;
  /** Marks the row failed; `followUps` runs in the same transaction and may read and write through `tx`. */
  giveUp(item: OutboxItem, error: string, followUps: (tx: Repos) => Promise<OutboxEntry[]>): Promise<void>;
  /** Rows written by another replica or held by backoff, so a worker knows when to look again. */
  nextDueInMs(): Promise<number | null>;
  /** Moves the lease of rows still being delivered `leaseMs` ahead (only for the attempt given). */
  extendLease(items: OutboxItem[], leaseMs: number): Promise<void>;
}

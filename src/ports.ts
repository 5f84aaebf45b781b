/**
 * The ports the use cases need, one file per feature under ports/, composed here: the store is
 * every feature's repositories, the outbox job union is every feature's jobs.
 */

import type { ExportRepos } from './ports/export.ts';
import type { FollowUpRepos } from './ports/follow-up.ts';
import type { LeadListRepos } from './ports/lead-list.ts';
import type { LeadRepos } from './ports/leads.ts';
import type { OutboxRepos } from './ports/outbox.ts';
import type { RelayRepos } from './ports/relay.ts';
import type { CronRuns } from './ports/scheduling.ts';
import type { SequenceRepos } from './ports/sequences.ts';
import type { StaffRepos } from './ports/staff.ts';

export type * from './ports/export.ts';
export type * from './ports/follow-up.ts';
export type * from './ports/lead-list.ts';
export type * from './ports/leads.ts';
export type * from './ports/outbox.ts';
export type * from './ports/platform.ts';
export type * from './ports/relay.ts';
export type * from './ports/scheduling.ts';
export type * from './ports/sequences.ts';
export type * from './ports/slack.ts';
export type * from './ports/staff.ts';
export type * from './ports/stats.ts';

export interface Repos
  extends RelayRepos,
    LeadRepos,
    LeadListRepos,
    FollowUpRepos,
    StaffRepos,
    OutboxRepos,
    SequenceRepos,
    ExportRepos {
  cronRuns: CronRuns;
}

export interface Store extends Repos {
  /** Runs `fn` in one database transaction; everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
}

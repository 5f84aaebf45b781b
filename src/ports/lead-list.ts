import type { Lead } from '../domain/lead.ts';
import type { LeadListFilter, LeadRanking } from '../domain/lead-list.ts';

// The lead list (`/tsuikyaku leads`) and the team picture in a manager's digest: read-only queries
// that filter and order in the database, so that no request loads every lead.

/** One owner's part of the team picture: their follow-up leads, and the first of those that need someone. */
export interface TeamOverviewRow {
  ownerId: string;
  /** Workable leads (open deals and past customers). */
  leads: number;
  awaiting: number;
  neglected: number;
  /** The first waiting and neglected leads, in the lead list's order (at most the asked number each). */
  awaitingLeads: Lead[];
  neglectedLeads: Lead[];
}

export interface LeadListRepos {
  leadList: {
    /** How many leads the list has (see inLeadList). */
    count(filter: LeadListFilter, ranking: LeadRanking): Promise<number>;
    /** One page of the list, in its order (see compareLeadListEntries). */
    page(
      filter: LeadListFilter,
      ranking: LeadRanking,
      window: { offset: number; limit: number },
    ): Promise<Lead[]>;
    /** Per owner of a workable lead: the counts, and the first `names` waiting and neglected leads. */
    teamOverview(ranking: LeadRanking, names: number): Promise<TeamOverviewRow[]>;
  };
}

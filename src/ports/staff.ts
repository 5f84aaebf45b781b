import type { Staff, StaffRole } from '../domain/staff.ts';

// Staff: who works leads, and their roles.

/** Outbox work of staff management: learn a new member's Slack name. */
export type StaffJob = { kind: 'slack.staff_name'; userId: string };

export interface StaffRepos {
  staff: {
    get(slackUserId: string): Promise<Staff | null>;
    /** The display names known for these people; someone unknown or not yet named is left out. */
    displayNames(slackUserIds: string[]): Promise<Map<string, string>>;
    upsert(input: {
      slackUserId: string;
      role: StaffRole;
      displayName: string | null;
      at: Date;
    }): Promise<Staff>;
    /** Adds managers from configuration without demoting or renaming anyone. */
    ensureManager(slackUserId: string, at: Date): Promise<void>;
    deactivate(slackUserId: string, at: Date): Promise<boolean>;
    setDisplayName(slackUserId: string, displayName: string, at: Date): Promise<void>;
    listActive(): Promise<Staff[]>;
    /** Picks the active rep who was assigned a lead longest ago and marks them as just assigned. */
    takeNextRep(at: Date, excluding?: string): Promise<Staff | null>;
  };
}

// Scheduled jobs shared by replicas.

/** Records of scheduled job fires, shared by replicas so that each fire runs once. */
export interface CronRuns {
  /** True for the one caller that inserted `key` first, or that takes over a run left unfinished. */
  claim(key: string, job: string, at: Date, staleAfterMs: number): Promise<boolean>;
  finish(key: string, at: Date, error?: string): Promise<void>;
  isFinished(key: string): Promise<boolean>;
}

import type { FollowUpPolicy } from '../../domain/follow-up-policy.ts';
import type {
  Clock,
  LineMessenger,
  Logger,
  OutboxEntry,
  OutboxItem,
  OutboxJob,
  Repos,
  SlackNotifier,
  Store,
} from '../../ports.ts';
import type { ExportDelivery } from '../export/send-export.ts';
import type { LeadWords } from '../sequences/lead-answers.ts';
import type { LineQuotaGuard } from '../sequences/line-quota.ts';
import type { PushGate } from '../sequences/push-gate.ts';
import type { SequenceSettings } from '../sequences/sequence-settings.ts';

export interface DeliveryDeps {
  store: Store;
  clock: Clock;
  line: LineMessenger;
  slack: SlackNotifier;
  logger: Logger;
  teamChannelId: string;
  senderFallbackName: string;
  policy: FollowUpPolicy;
  /** The out-of-hours acknowledgement, naming when staff will answer. */
  autoAckText: (when: Date) => string;
  /** Step sequences: the file and rules, the quota guard, the words a lead reads. */
  sequences: SequenceDelivery;
  /** The CSV export: the words of its files and the scratch space they are written to. */
  exports: ExportDelivery;
  /** Told when a lead's message is in Slack: when it reached us, and when it was posted. */
  onRelayed?: (arrivedAt: Date, postedAt: Date) => void;
}

export interface SequenceDelivery {
  settings: SequenceSettings;
  quota: LineQuotaGuard;
  leadWords: LeadWords;
  /** Keeps this process's step pushes under LINE's rate. */
  pushGate: PushGate;
}

export type OutboxKind = OutboxJob['kind'];
export type JobOf<K extends OutboxKind> = Extract<OutboxJob, { kind: K }>;

/** How one kind of outbox row is delivered, and what staff learn when it is given up. */
export interface OutboxHandler<K extends OutboxKind> {
  /**
   * Performs the one LINE or Slack call the row stands for, reading the current state so a message
   * reaches whoever owns the lead at delivery time. Returns rows to queue when it is done.
   * Throws DeliveryError; anything else is treated as transient.
   */
  deliver(deps: DeliveryDeps, item: OutboxItem, job: JobOf<K>): Promise<OutboxEntry[]>;
  /**
   * Runs once, in the transaction that marks the row failed, and returns rows to queue there:
   * usually an alert in the team channel (`alertTeam`), so staff learn what did not reach them.
   */
  onGivenUp(tx: Repos, item: OutboxItem, job: JobOf<K>, error: string): Promise<OutboxEntry[]>;
}

/** One handler per kind: a kind without one fails the typecheck. */
export type OutboxHandlers<K extends OutboxKind = OutboxKind> = { [P in K]: OutboxHandler<P> };

/**
 * A Slack post that can never succeed (a removed channel, a revoked scope) is reported in the team
 * channel so staff learn that a lead's message or a notice did not reach them.
 */
export function alertTeam(failedKind: OutboxKind, leadId: string | null, error: string): OutboxEntry[] {
  return [{ job: { kind: 'slack.alert', leadId, failedKind, error }, orderKey: 'alerts' }];
}

/** The give-up of most lead work: an alert naming the lead. */
export async function alertTeamAboutLead(
  _tx: Repos,
  _item: OutboxItem,
  job: { kind: OutboxKind; leadId: string },
  error: string,
): Promise<OutboxEntry[]> {
  return alertTeam(job.kind, job.leadId, error);
}

/** For work whose loss nobody needs to hear about (a reaction, a name), or that is itself the alert. */
export async function nothingToTell(): Promise<OutboxEntry[]> {
  return [];
}

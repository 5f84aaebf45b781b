import type { Lead } from '../domain/lead.ts';
import type { ExportSlack } from './export.ts';
import type { FollowUpSlack, LeadCardView } from './follow-up.ts';
import type { LeadNotice, LeadThread, StoredMessage } from './relay.ts';
import type { SequenceSlack } from './sequences.ts';
import type { StatsSlack } from './stats.ts';

// Slack as the features see it: each feature's posts, composed into one notifier.

export interface SlackPosted {
  channelId: string;
  ts: string;
}

/**
 * Which outbox row a Slack post belongs to. Slack has no idempotency key, so each post carries
 * this in its message metadata; a row that may already have posted (a retry after a crash or a
 * lost answer) first looks for its own tag and reuses that message instead of posting again.
 */
export interface SlackPostKey {
  outboxId: number;
  /** True when an earlier attempt may have reached Slack. */
  recheck: boolean;
  /** When the row was written: older messages need not be searched. */
  since: Date;
}

/** What the relay posts in Slack: lead cards, relayed messages, notices, reactions. */
export interface RelaySlack {
  /** `channel` may be a user ID: Slack then posts in the bot's DM with that user. */
  postLeadCard(channel: string, view: LeadCardView): Promise<SlackPosted>;
  updateLeadCard(channelId: string, ts: string, view: LeadCardView): Promise<void>;
  postInboundMessage(thread: LeadThread, message: StoredMessage, lead: Lead): Promise<SlackPosted>;
  postHistory(thread: LeadThread, messages: StoredMessage[], lead: Lead): Promise<void>;
  postNotice(channelId: string, threadTs: string, notice: LeadNotice): Promise<void>;
  /** Tells the team channel that something could not be shown in Slack. */
  postDeliveryAlert(channelId: string, alert: { lead: Lead | null; error: string }): Promise<void>;
  addReaction(channelId: string, ts: string, name: string): Promise<void>;
  lookupUserName(userId: string): Promise<string | null>;
}

/** A file to share in Slack: the bytes in memory, or a file on disk (read as a stream). */
export interface SlackFile {
  /** A conversation id (C, G or D), or a user id: the file then goes to the bot's DM with them. */
  channel: string;
  threadTs?: string;
  /** The file's name; a tagged notifier adds `_<outbox id>` before the extension (see uploadFile). */
  filename: string;
  title: string;
  content: Uint8Array | { path: string };
  /** The message shared with the file. */
  comment?: string;
  /** For an image: what it shows, for screen readers. */
  altText?: string;
}

export interface SlackFileShared {
  channelId: string;
  fileId: string;
}

/** Files in Slack (files:write), the way Slack takes them since files.upload was retired. */
export interface FileSlack {
  /**
   * files.getUploadURLExternal, the bytes POSTed to the URL given, files.completeUploadExternal.
   * A file share carries no message metadata, so a tagged notifier names the file after its
   * outbox row (`report.csv` -> `report_123.csv`); on `recheck` it first looks for a share of that
   * name in the conversation (or thread) since the row was written and, when one is there, returns
   * it without uploading again.
   */
  uploadFile(file: SlackFile): Promise<SlackFileShared>;
}

export interface SlackNotifier
  extends RelaySlack,
    FollowUpSlack,
    SequenceSlack,
    FileSlack,
    ExportSlack,
    StatsSlack {
  /** The same notifier with every post tagged with (and, on `recheck`, first looked up by) `key`. */
  tagged(key: SlackPostKey): SlackNotifier;
}

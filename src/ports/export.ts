import type { ExportDataset } from '../domain/export/export-command.ts';
import type { TouchChannel, TouchDirection, TouchOutcome } from '../domain/follow-up/touch.ts';
import type { LeadStage } from '../domain/lead.ts';
import type { ReportPeriod } from '../domain/report-period.ts';
import type { SlackFileShared } from './slack.ts';

// The CSV export (`/tsuikyaku export`): a manager's leads, touches or messages of a period, as a
// file in their DM. Read in keyed pages, written to a scratch file, then uploaded.

export type { ExportDataset };

/** Outbox work of the export: the file in the asker's DM, or word that it could not be sent. */
export type ExportJob =
  | { kind: 'slack.export'; userId: string; dataset: ExportDataset; period: ReportPeriod }
  | {
      kind: 'slack.export_failed';
      userId: string;
      dataset: ExportDataset;
      period: ReportPeriod;
      error: string;
    };

/** The period as instants, half open: [from, to). */
export interface ExportRange {
  from: Date;
  to: Date;
}

/** A lead as exported. An erased lead comes anonymised (no name, tags or close note), as stored. */
export interface ExportLeadRow {
  id: string;
  displayName: string | null;
  ownerId: string | null;
  ownerName: string | null;
  stage: LeadStage;
  status: 'active' | 'blocked';
  purchaseTiming: string | null;
  amountYen: number | null;
  closeReason: string | null;
  handoverDate: string | null;
  createdAt: Date;
  lastTouchAt: Date | null;
  lastInboundAt: Date | null;
  closedAt: Date | null;
  blockedAt: Date | null;
  optedOutAt: Date | null;
  erasedAt: Date | null;
  tags: string[];
}

export interface ExportTouchRow {
  at: Date;
  leadId: string;
  leadName: string | null;
  channel: TouchChannel;
  direction: TouchDirection;
  outcome: TouchOutcome;
  authorId: string | null;
  authorName: string | null;
  note: string | null;
}

export interface ExportMessageRow {
  createdAt: Date;
  sentAt: Date | null;
  leadId: string;
  leadName: string | null;
  direction: 'inbound' | 'outbound';
  kind: string;
  text: string | null;
  authorId: string | null;
  authorName: string | null;
  status: 'received' | 'pending' | 'sent' | 'failed';
}

/**
 * Read-only, in pages of at most `pageSize` rows, each page one keyed query (never an OFFSET), so an
 * export of a million touches holds one page in memory at a time.
 */
export interface ExportRepos {
  exports: {
    /** Leads created before the period ends and not won or lost before it starts, oldest first. */
    leads(range: ExportRange, pageSize: number): AsyncIterable<ExportLeadRow[]>;
    /** Touches with `at` in the period, by lead, then oldest first within a lead. */
    touches(range: ExportRange, pageSize: number): AsyncIterable<ExportTouchRow[]>;
    /** Messages created in the period, by lead, then oldest first within a lead. */
    messages(range: ExportRange, pageSize: number): AsyncIterable<ExportMessageRow[]>;
  };
}

/** A file written to scratch space: its path and size, removed once uploaded. */
export interface ScratchFile {
  path: string;
  bytes: number;
  remove(): Promise<void>;
}

/** Scratch space for files too large to hold in memory (an upload needs the length first). */
export interface ExportSpool {
  /** Writes the text chunks to a new scratch file, honouring backpressure. */
  write(chunks: AsyncIterable<string>): Promise<ScratchFile>;
}

export interface ExportSummary {
  dataset: ExportDataset;
  period: ReportPeriod;
  /** Data rows, the header row not counted. */
  rows: number;
}

/** Slack as the export sees it. */
export interface ExportSlack {
  /** Shares the CSV in the asker's DM (`userId`), titled and commented from `summary`. */
  postExport(
    userId: string,
    file: { path: string; filename: string },
    summary: ExportSummary,
  ): Promise<SlackFileShared>;
  /** Tells the asker, in their DM, that the export could not be sent. */
  postExportFailed(
    userId: string,
    failure: { dataset: ExportDataset; period: ReportPeriod; error: string },
  ): Promise<void>;
}

import type { SendRules } from '../../domain/sequences/next-send-moment.ts';
import type { OptKeywords } from '../../domain/sequences/opt-out-keywords.ts';
import type { Sequence, SequencesFile } from '../../domain/sequences/sequence.ts';

/** Step sequences as configured: the file, the sending rules and the keywords. */
export interface SequenceSettings {
  file: SequencesFile;
  /** Quiet hours, step days and the weekly cap, in BUSINESS_TIMEZONE. */
  rules: SendRules;
  /** SEQUENCE_RESUME_DAYS. */
  resumeDays: number;
  keywords: OptKeywords;
  /** COMPANY_NAME. */
  companyName: string | null;
}

export function sequenceById(settings: SequenceSettings, id: string): Sequence | undefined {
  return settings.file.sequences.find((sequence) => sequence.id === id);
}

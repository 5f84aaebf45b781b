import type { TimingSegment } from '../follow-up/purchase-timing.ts';
import type { LineMessage } from './line-message-schema.ts';

export type SequenceTrigger = 'follow' | 'segment' | 'tag' | 'handover' | 'manual' | 'date';

export const SEQUENCE_TRIGGERS: readonly SequenceTrigger[] = [
  'follow',
  'segment',
  'tag',
  'handover',
  'manual',
  'date',
];

/** A step: its delay from the trigger (first step) or the previous step, then its messages. */
export interface Step {
  /** The delay in minutes, as written `after: 3d` = 4320. */
  afterMinutes: number;
  /** Optional time of day in BUSINESS_TIMEZONE: the first such moment at or after the delay. */
  at: { hour: number; minute: number } | null;
  /** The step is skipped for a lead without any of these tags; empty = every lead. */
  tags: string[];
  /** 1 to 5 message templates: strings may hold {name}, {owner}, {company}. */
  messages: LineMessage[];
}

export interface Sequence {
  /** Unique, [a-z0-9-]+, stable across edits: enrolments refer to it. */
  id: string;
  name: string;
  trigger: SequenceTrigger;
  /** trigger segment: the segments that start it; trigger date: an audience filter. */
  segments: TimingSegment[];
  /** Audience filter (any of them); trigger tag: the tags whose addition starts it. */
  tags: string[];
  kind: 'lead' | 'customer' | null;
  /** trigger date: the local moment `2026-12-12T10:00` in BUSINESS_TIMEZONE; otherwise null. */
  startAt: string | null;
  steps: Step[];
}

export interface SequencesFile {
  sequences: Sequence[];
  /** The 「特に気になることは？」 answers, stored as tags; empty = the question is off. */
  interests: string[];
}

/** The interests asked by default (issue 11); the file's top-level `interests:` replaces them. */
export const DEFAULT_INTERESTS: readonly string[] = [
  '土地探し',
  '資金計画',
  'デザイン',
  '性能・断熱',
  '子育て・学区',
  '二世帯',
  '特になし',
];

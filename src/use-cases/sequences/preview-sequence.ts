import type { Lead } from '../../domain/lead.ts';
import type { LineMessage } from '../../domain/sequences/line-message-schema.ts';
import { renderMessages } from '../../domain/sequences/message-variables.ts';
import type { Sequence, Step } from '../../domain/sequences/sequence.ts';
import type { Enrolment, Store } from '../../ports.ts';
import { type SequenceSettings, sequenceById } from './sequence-settings.ts';

export type SequencePreview =
  | { kind: 'not_staff' }
  /** No sequence has that id: the file's ids, to pick from. */
  | { kind: 'unknown'; ids: string[] }
  | {
      kind: 'preview';
      sequence: Sequence;
      steps: { step: Step; messages: LineMessage[] }[];
      /** Who the sequence sends to now (active or paused), the next send first; `total` in all. */
      members: { enrolment: Enrolment; lead: Lead }[];
      total: number;
    };

/** How many of the people in a sequence the preview names. */
export const PREVIEW_MEMBERS = 10;

/**
 * `/tsuikyaku sequences <id>`: each step's messages as a lead would read them, rendered for a sample
 * lead named `sampleName`, with the person asking as the owner and COMPANY_NAME. For staff only.
 */
export async function previewSequence(
  deps: { store: Store; sequences: SequenceSettings },
  input: { actorId: string; sequenceId: string; sampleName: string },
): Promise<SequencePreview> {
  const actor = await deps.store.staff.get(input.actorId);
  if (!actor?.active) return { kind: 'not_staff' };
  const sequence = sequenceById(deps.sequences, input.sequenceId);
  if (!sequence) return { kind: 'unknown', ids: deps.sequences.file.sequences.map((s) => s.id) };
  const values = { name: input.sampleName, owner: actor.displayName, company: deps.sequences.companyName };
  const { members, total } = await deps.store.enrolments.listLive(sequence.id, PREVIEW_MEMBERS);
  return {
    kind: 'preview',
    sequence,
    steps: sequence.steps.map((step) => ({ step, messages: renderMessages(step.messages, values) })),
    members,
    total,
  };
}

import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { TimingSegment } from '../follow-up/purchase-timing.ts';
import { DEFAULT_INTERESTS, type Sequence, type SequencesFile } from './sequence.ts';
import { DURATION, type RawSequencesFile, sequencesFileSchema } from './sequences-file-schema.ts';

export type FilePath = (string | number)[];

/** A problem (error or lint warning) where it is in the file; line and column count from 1. */
export interface FileProblem {
  line: number;
  column: number;
  message: string;
}

export type ParsedSequences =
  | { ok: true; file: SequencesFile; locate: (path: FilePath) => { line: number; column: number } }
  | { ok: false; errors: FileProblem[] };

/**
 * Reads a sequences file, YAML or JSON (YAML 1.2 reads JSON as it is), keeping each value's line
 * and column so that every problem points at its place in the file.
 */
export function parseSequencesFile(text: string): ParsedSequences {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    return {
      ok: false,
      errors: doc.errors.map((error) => ({
        line: error.linePos?.[0].line ?? 1,
        column: error.linePos?.[0].col ?? 1,
        message: error.message.split(' at line ')[0] ?? error.message,
      })),
    };
  const locate = (path: FilePath, key = false) => {
    const pos = lineCounter.linePos(nodeAt(doc.contents as Node | null, path, key)?.range?.[0] ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const parsed = sequencesFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success)
    return { ok: false, errors: byPlace(parsed.error.issues.map((issue) => located(issue, locate))) };
  return { ok: true, file: toModel(parsed.data), locate: (path) => locate(path) };
}

export function byPlace(problems: FileProblem[]): FileProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

export function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join('');
}

function located(
  issue: z.core.$ZodIssue,
  locate: (path: FilePath, key?: boolean) => { line: number; column: number },
): FileProblem {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return { ...locate([...path, key], true), message: `${pathText([...path, key])}: unknown key` };
  }
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  const message = missing ? 'is required' : issue.message;
  return { ...locate(path), message: path.length > 0 ? `${pathText(path)}: ${message}` : message };
}

/** The deepest node on `path` that exists (a missing key points at its parent); `key`: the key itself. */
function nodeAt(root: Node | null, path: FilePath, key: boolean): Node | null {
  let node = root;
  let found = root;
  for (const [i, part] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      node = (key && i === path.length - 1 ? pair.key : pair.value) as Node | null;
    } else if (isSeq(node) && typeof part === 'number') {
      node = (node.items[part] as Node | undefined) ?? null;
    } else break;
    if (!node) break;
    found = node;
  }
  return found;
}

const UNIT_MINUTES = { m: 1, h: 60, d: 24 * 60 } as const;

export function durationMinutes(text: string): number {
  const [, amount, unit] = DURATION.exec(text) ?? [];
  return Number(amount) * UNIT_MINUTES[(unit ?? 'm') as keyof typeof UNIT_MINUTES];
}

function toModel(raw: RawSequencesFile): SequencesFile {
  const sequences: Sequence[] = raw.sequences.map((s) => ({
    id: s.id,
    name: s.name,
    trigger: s.trigger,
    segments: (s.segments ?? []) as TimingSegment[],
    tags: s.tags ?? [],
    kind: s.kind ?? null,
    startAt: s.start_at ?? null,
    steps: s.steps.map((step) => ({
      afterMinutes: durationMinutes(step.after),
      at: step.at ? { hour: Number(step.at.slice(0, 2)), minute: Number(step.at.slice(3)) } : null,
      tags: step.tags ?? [],
      messages: step.messages,
    })),
  }));
  return { sequences, interests: raw.interests ?? [...DEFAULT_INTERESTS] };
}

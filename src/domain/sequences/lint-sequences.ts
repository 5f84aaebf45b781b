import type { LineMessage } from './line-message-schema.ts';
import { readableFields } from './message-variables.ts';
import type { FilePath } from './parse-sequences-file.ts';
import type { SequencesFile } from './sequence.ts';

export interface LintWarning {
  path: FilePath;
  message: string;
}

/**
 * Phrases that press for a decision (../shared/DOMAIN.md point 8, COPY-JA.md): deadlines,
 * scarcity, hurry, asking for the contract. Until the lead wants to talk, a step is information.
 */
export const PRESSURING_PHRASES: readonly string[] = [
  '今だけ',
  '今日だけ',
  '本日限り',
  '本日まで',
  '今すぐ',
  '至急',
  'お急ぎ',
  '急いで',
  'お早めに',
  '残りわずか',
  '残り僅か',
  '残りあと',
  '先着',
  '期間限定',
  '限定価格',
  '締め切り間近',
  '締切間近',
  '最後のチャンス',
  'ラストチャンス',
  '見逃さないで',
  'お見逃しなく',
  '二度とない',
  '値上がり前に',
  '損をします',
  '損します',
  '即決',
  '今決め',
  '契約しませんか',
  'ご契約はいつ',
  'ご契約いただけ',
  '今週中に',
  '今月中に',
];

/** One call to come or to book per message at most (DOMAIN.md point 8: no repeated requests to visit). */
const VISIT_OR_BOOK_CALL =
  /ご来場(ください|をお待ち)|お越しください|お越しをお待ち|ご来店(ください|をお待ち)|ご見学ください|(ご|お)予約(ください|はこちら|をお願い|を承|する)|来場予約|見学予約|予約する|お申し?込み(ください|はこちら|をお待ち)|申し込む/g;

function messageWarnings(message: LineMessage, path: FilePath): LintWarning[] {
  const warnings: LintWarning[] = [];
  const fields = readableFields(message);
  for (const field of fields) {
    for (const phrase of PRESSURING_PHRASES) {
      if (field.value.includes(phrase))
        warnings.push({
          path: [...path, ...field.path],
          message: `「${phrase}」 presses the lead; write information instead (no deadlines, scarcity or asking for the contract)`,
        });
    }
  }
  const calls = fields.flatMap((field) => [...field.value.matchAll(VISIT_OR_BOOK_CALL)].map((m) => m[0]));
  if (calls.length > 1)
    warnings.push({
      path,
      message: `${calls.length} calls to visit or book in one message (${calls.map((c) => `「${c}」`).join('')}); keep one at most`,
    });
  return warnings;
}

/** Warnings about tone and pacing; a file with warnings still loads. */
export function lintSequences(file: SequencesFile): LintWarning[] {
  return file.sequences.flatMap((sequence, s) =>
    sequence.steps.flatMap((step, i) => {
      const stepPath: FilePath = ['sequences', s, 'steps', i];
      const pacing: LintWarning[] =
        i > 0 && step.afterMinutes === 0
          ? [
              {
                path: [...stepPath, 'after'],
                message:
                  'no delay after the previous step: the lead gets both at once; give a delay or put the messages in one step (up to 5)',
              },
            ]
          : [];
      return [
        ...pacing,
        ...step.messages.flatMap((message, m) => messageWarnings(message, [...stepPath, 'messages', m])),
      ];
    }),
  );
}

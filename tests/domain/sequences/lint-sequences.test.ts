import { describe, expect, it } from 'vitest';
import { checkSequencesFile, problemLine } from '../../../src/domain/sequences/check-sequences-file.ts';

function warningsFor(steps: string): string[] {
  const result = checkSequencesFile(
    `sequences:\n  - id: a\n    name: n\n    trigger: manual\n    steps:\n${steps}`,
  );
  expect(result.errors).toEqual([]);
  return result.warnings.map((warning) => problemLine('f.yml', warning));
}

const step = (after: string, text: string) =>
  `      - after: ${after}\n        messages:\n          - type: text\n            text: "${text}"\n`;

describe('lintSequences', () => {
  it.each(['今だけ', '本日限り', '今すぐ', '契約しませんか', '残りわずか', '先着', 'お早めに'])(
    'warns about the pressuring phrase %s, at the text',
    (phrase) => {
      expect(warningsFor(step('1d', `見学会のお知らせです。${phrase}。`))).toEqual([
        `f.yml:9:19: 「${phrase}」 presses the lead; write information instead (no deadlines, scarcity or asking for the contract)`,
      ]);
    },
  );

  it('reads labels and alt texts too, not URLs', () => {
    const steps = `      - after: 1d\n        messages:\n          - type: template\n            altText: 今だけの特典\n            template:\n              type: buttons\n              text: ご案内\n              actions: [{ type: uri, label: 見る, uri: "https://example.com/imasugu" }]\n`;
    expect(warningsFor(steps)).toEqual([expect.stringMatching(/^f\.yml:9:22: 「今だけ」/)]);
  });

  it('warns about more than one call to visit or book in one message, not about one', () => {
    expect(warningsFor(step('1d', '見学会を開きます。ご都合が合えば、ご来場ください。'))).toEqual([]);
    expect(warningsFor(step('1d', 'ご来場ください。来場予約はこちらから。'))).toEqual([
      'f.yml:8:13: 2 calls to visit or book in one message (「ご来場ください」「来場予約」); keep one at most',
    ]);
  });

  it('warns about a step with no delay after another, not about the first step', () => {
    expect(
      warningsFor(`${step('0m', 'ようこそ')}${step('0m', 'もうひとつ')}${step('1d', 'こんにちは')}`),
    ).toEqual([
      'f.yml:10:16: no delay after the previous step: the lead gets both at once; give a delay or put the messages in one step (up to 5)',
    ]);
  });

  it('lets a file with warnings load', () => {
    const result = checkSequencesFile(
      `sequences:\n  - id: a\n    name: n\n    trigger: manual\n    steps:\n${step('1d', '今だけ')}`,
    );
    expect(result.file?.sequences).toHaveLength(1);
    expect(result.warnings).toHaveLength(1);
  });
});

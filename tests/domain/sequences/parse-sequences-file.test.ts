import { describe, expect, it } from 'vitest';
import { checkSequencesFile, problemLine } from '../../../src/domain/sequences/check-sequences-file.ts';
import { parseSequencesFile } from '../../../src/domain/sequences/parse-sequences-file.ts';

/** A valid one-sequence file with `step` as its only step (indented as a list item of steps). */
const withStep = (
  step: string,
  head = 'id: nurture-3m\n    name: 3ヶ月以内\n    trigger: segment\n    segments: [within_3m]',
) => `sequences:\n  - ${head}\n    steps:\n${step}`;

const textStep = (text: string, after = '3d') =>
  `      - after: ${after}\n        messages:\n          - type: text\n            text: "${text}"\n`;

function errorsOf(text: string): string[] {
  const result = checkSequencesFile(text);
  expect(result.file).toBeNull();
  return result.errors.map((error) => problemLine('seq.yml', error));
}

describe('parseSequencesFile', () => {
  it('reads a valid file into the model: delays in minutes, time of day, defaults for interests', () => {
    const result = parseSequencesFile(
      withStep(
        `${textStep('こんにちは', '3d')}      - after: 90m\n        at: "10:30"\n        tags: [資金計画]\n        messages:\n          - type: sticker\n            packageId: "446"\n            stickerId: "1988"\n`,
      ),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [sequence] = result.file.sequences;
    expect(sequence).toMatchObject({
      id: 'nurture-3m',
      trigger: 'segment',
      segments: ['within_3m'],
      kind: null,
    });
    expect(sequence?.steps.map((s) => [s.afterMinutes, s.at, s.tags])).toEqual([
      [3 * 24 * 60, null, []],
      [90, { hour: 10, minute: 30 }, ['資金計画']],
    ]);
    expect(result.file.interests).toEqual([
      '土地探し',
      '資金計画',
      'デザイン',
      '性能・断熱',
      '子育て・学区',
      '二世帯',
      '特になし',
    ]);
  });

  it('keeps an empty interests list: the question is off', () => {
    const result = parseSequencesFile(`interests: []\n${withStep(textStep('こんにちは'))}`);
    expect(result.ok && result.file.interests).toEqual([]);
  });

  it('reports a YAML syntax error at its line and column', () => {
    expect(errorsOf('sequences:\n  - id: a\n    name: [unclosed\n')).toEqual([
      expect.stringMatching(/^seq\.yml:4:1: /),
    ]);
  });

  it('reports a value error at the value, with the path', () => {
    expect(errorsOf(withStep(textStep('こんにちは', '3w')))).toEqual([
      'seq.yml:7:16: sequences[0].steps[0].after: must be a delay such as 0m, 30m, 6h or 3d',
    ]);
  });

  it('reports an unknown key at the key and a missing key at its parent', () => {
    expect(errorsOf('sequences:\n  - id: a\n    trigger: manual\n    colour: red\n    steps: []\n')).toEqual([
      'seq.yml:2:5: sequences[0].name: is required',
      'seq.yml:4:5: sequences[0].colour: unknown key',
      'seq.yml:5:12: sequences[0].steps: has at least one step',
    ]);
  });

  it('reports errors in a JSON file at their line and column too', () => {
    const json = [
      '{',
      '  "sequences": [',
      '    {',
      '      "id": "Welcome_1",',
      '      "name": "ごあいさつ",',
      '      "trigger": "follow",',
      '      "steps": [{ "after": "0m", "messages": [{ "type": "text", "text": "{nickname}様" }] }]',
      '    }',
      '  ]',
      '}',
    ].join('\n');
    expect(errorsOf(json)).toEqual([
      'seq.yml:4:13: sequences[0].id: must be 1 to 64 of a-z, 0-9 and -, such as nurture-3m',
      'seq.yml:7:73: sequences[0].steps[0].messages[0].text: unknown variable {nickname}: use {name}, {owner} or {company}',
    ]);
    expect(errorsOf('{\n  "sequences": [,]\n}')).toEqual(['seq.yml:2:17: Unexpected , in flow sequence']);
  });

  it('rejects a duplicate id, naming the first', () => {
    const seq = (id: string) =>
      `  - id: ${id}\n    name: n\n    trigger: manual\n    steps:\n${textStep('こんにちは')}`;
    expect(errorsOf(`sequences:\n${seq('a')}${seq('a')}`)).toEqual([
      'seq.yml:10:9: sequences[1].id: id a is already used by sequences[0]',
    ]);
  });

  it('rejects duplicate keys', () => {
    expect(errorsOf('sequences: []\nsequences: []\n')).toEqual(['seq.yml:2:1: Map keys must be unique']);
  });

  it.each([
    [
      'trigger: segment without segments',
      'id: a\n    name: n\n    trigger: segment',
      'seq.yml:4:14: sequences[0].trigger: trigger segment needs segments: [...]',
    ],
    [
      'trigger: tag without tags',
      'id: a\n    name: n\n    trigger: tag',
      'seq.yml:4:14: sequences[0].trigger: trigger tag needs tags: [...]',
    ],
    [
      'trigger: date without start_at',
      'id: a\n    name: n\n    trigger: date',
      'seq.yml:4:14: sequences[0].trigger: trigger date needs start_at: "2026-12-12T10:00"',
    ],
    [
      'start_at on another trigger',
      'id: a\n    name: n\n    trigger: manual\n    start_at: "2026-12-12T10:00"',
      'seq.yml:5:15: sequences[0].start_at: start_at is for trigger date only',
    ],
    [
      'an impossible start_at',
      'id: a\n    name: n\n    trigger: date\n    start_at: "2026-02-30T10:00"',
      'seq.yml:5:15: sequences[0].start_at: is not a real date and time',
    ],
    [
      'an unknown segment',
      'id: a\n    name: n\n    trigger: segment\n    segments: [within_2m]',
      'seq.yml:5:16: sequences[0].segments[0]: must be one of within_1m, within_3m, within_6m, within_1y, over_1y, undecided',
    ],
    [
      'an unknown trigger',
      'id: a\n    name: n\n    trigger: signup',
      'seq.yml:4:14: sequences[0].trigger: must be one of follow, segment, tag, handover, manual, date',
    ],
    [
      'handover for leads',
      'id: a\n    name: n\n    trigger: handover\n    kind: lead',
      'seq.yml:5:11: sequences[0].kind: trigger handover is for past customers: leave kind out or use customer',
    ],
  ])('rejects %s', (_case, head, expected) => {
    expect(errorsOf(withStep(textStep('こんにちは'), head))).toEqual([expected]);
  });

  it('accepts a date trigger with its audience', () => {
    const head =
      'id: open-house\n    name: 見学会\n    trigger: date\n    start_at: "2026-12-12T10:00"\n    segments: [within_3m]\n    tags: [デザイン]';
    const result = parseSequencesFile(withStep(textStep('こんにちは'), head));
    expect(result.ok && result.file.sequences[0]).toMatchObject({
      startAt: '2026-12-12T10:00',
      tags: ['デザイン'],
    });
  });

  it('rejects two segment sequences starting on the same segment for the same audience', () => {
    const seq = (id: string, segments: string) =>
      `  - id: ${id}\n    name: n\n    trigger: segment\n    segments: ${segments}\n    steps:\n${textStep('こんにちは')}`;
    expect(errorsOf(`sequences:\n${seq('a', '[within_3m]')}${seq('b', '[within_6m, within_3m]')}`)).toEqual([
      'seq.yml:14:15: sequences[1].segments: within_3m already starts a for the same audience; a lead gets one of them only',
    ]);
  });

  it.each([
    [
      'a bad id',
      'id: Nurture 3m',
      'seq.yml:2:9: sequences[0].id: must be 1 to 64 of a-z, 0-9 and -, such as nurture-3m',
    ],
  ])('rejects %s', (_case, idLine, expected) => {
    expect(errorsOf(withStep(textStep('x'), `${idLine}\n    name: n\n    trigger: manual`))).toEqual([
      expected,
    ]);
  });

  it('accepts ids of lower-case letters, digits and hyphens', () => {
    expect(
      parseSequencesFile(withStep(textStep('x'), 'id: after-sales-2\n    name: n\n    trigger: manual')).ok,
    ).toBe(true);
  });
});

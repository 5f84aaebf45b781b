import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  getMessagingApiBackend,
  matchLineOperation,
  validateLineRequest,
} from '../../../adapters/line/fake/line-spec-validator.ts';
import { SEGMENT_ORDER } from '../../../src/domain/follow-up/purchase-timing.ts';
import { checkSequencesFile } from '../../../src/domain/sequences/check-sequences-file.ts';
import { renderMessages } from '../../../src/domain/sequences/message-variables.ts';
import { parseQuestionnairePostback } from '../../../src/domain/sequences/questionnaire-postback.ts';
import { DEFAULT_SEQUENCES_PATH } from '../../../src/sequences-file.ts';

const defaults = checkSequencesFile(await readFile(DEFAULT_SEQUENCES_PATH, 'utf8'));
const file = defaults.file;
if (!file) throw new Error(`the defaults do not load: ${JSON.stringify(defaults.errors)}`);

describe('the built-in sequences', () => {
  it('load without an error and pass their own lint with no warning', () => {
    expect(defaults.errors).toEqual([]);
    expect(defaults.warnings).toEqual([]);
  });

  it('greet a new friend and ask 「ご検討時期は？」 with a postback button for every segment', () => {
    const welcome = file.sequences.find((s) => s.trigger === 'follow');
    const first = welcome?.steps[0];
    expect(first?.afterMinutes).toBe(0);
    const question = first?.messages.at(-1);
    expect(question?.type === 'text' && question.text).toContain('ご検討時期は？');
    const items = question?.quickReply?.items ?? [];
    expect(items.map((item) => item.action.label)).toEqual([
      '1ヶ月以内',
      '3ヶ月以内',
      '半年以内',
      '1年以内',
      '1年以上',
      '未定',
    ]);
    expect(
      items.map((item) =>
        item.action.type === 'postback' ? parseQuestionnairePostback(item.action.data, []) : null,
      ),
    ).toEqual(SEGMENT_ORDER.map((segment) => ({ question: 'timing', segment })));
  });

  it('nurture every segment from 3 months on, and follow past customers after the handover', () => {
    const nurtured = file.sequences.filter((s) => s.trigger === 'segment').flatMap((s) => s.segments);
    expect(nurtured.sort()).toEqual(['over_1y', 'undecided', 'within_1y', 'within_3m', 'within_6m']);
    const afterSales = file.sequences.find((s) => s.trigger === 'handover');
    const days: number[] = [];
    for (const step of afterSales?.steps ?? []) days.push((days.at(-1) ?? 0) + step.afterMinutes / (24 * 60));
    expect(days).toEqual([30, 182, 365]);
  });

  it('ask the interests of the issue', () => {
    expect(file.interests).toEqual([
      '土地探し',
      '資金計画',
      'デザイン',
      '性能・断熱',
      '子育て・学区',
      '二世帯',
      '特になし',
    ]);
  });

  it('render into push requests LINE accepts, with and without a display name', async () => {
    const api = await getMessagingApiBackend();
    const operation = matchLineOperation(api, 'post', '/v2/bot/message/push');
    if (!operation) throw new Error('push operation not found in the vendored spec');
    const problems: string[] = [];
    for (const sequence of file.sequences) {
      for (const [i, step] of sequence.steps.entries()) {
        for (const values of [
          { name: '山田 太郎', owner: '田中', company: '山田工務店' },
          { name: null, owner: null, company: null },
        ]) {
          const messages = renderMessages(step.messages, values);
          const { details } = validateLineRequest(api, operation, {
            method: 'post',
            path: '/v2/bot/message/push',
            headers: {
              'content-type': 'application/json',
              authorization: 'Bearer t',
              'x-line-retry-key': '123e4567-e89b-12d3-a456-426614174000',
            },
            body: { to: `U${'0'.repeat(32)}`, messages },
          });
          for (const d of details) problems.push(`${sequence.id} step ${i + 1}: ${d.property}: ${d.message}`);
          expect(JSON.stringify(messages)).not.toMatch(/\{(name|owner|company)\}|お客様様/);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

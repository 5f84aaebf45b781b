import { describe, expect, it } from 'vitest';
import { SEGMENT_ORDER } from '../../../src/domain/follow-up/purchase-timing.ts';
import {
  interestPostbackData,
  parseQuestionnairePostback,
  timingPostbackData,
} from '../../../src/domain/sequences/questionnaire-postback.ts';

describe('questionnaire postbacks', () => {
  it('round-trips every timing segment and a listed interest', () => {
    for (const segment of SEGMENT_ORDER)
      expect(parseQuestionnairePostback(timingPostbackData(segment), [])).toEqual({
        question: 'timing',
        segment,
      });
    expect(parseQuestionnairePostback(interestPostbackData('資金計画'), ['資金計画'])).toEqual({
      question: 'interest',
      interest: '資金計画',
    });
  });

  it.each(['timing=within_2m', 'timing=', 'interest=釣り', 'action=done&lead=1', 'timing'])(
    'ignores %s',
    (data) => {
      expect(parseQuestionnairePostback(data, ['資金計画'])).toBeNull();
    },
  );
});

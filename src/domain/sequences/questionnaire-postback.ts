import { SEGMENT_ORDER, type TimingSegment } from '../follow-up/purchase-timing.ts';

/*
 * The postback data of the questionnaire's quick-reply buttons (LINE allows 300 characters):
 * `timing=<segment key>` answers 「ご検討時期は？」 (timing=within_3m), `interest=<answer>` answers
 * 「特に気になることは？」 (interest=資金計画). A sequences file may send the timing buttons itself.
 */

export function timingPostbackData(segment: TimingSegment): string {
  return `timing=${segment}`;
}

export function interestPostbackData(interest: string): string {
  return `interest=${interest}`;
}

export type QuestionnaireAnswer =
  | { question: 'timing'; segment: TimingSegment }
  | { question: 'interest'; interest: string };

/** The answer a postback carries; null for anything else (a stale or foreign postback is ignored). */
export function parseQuestionnairePostback(
  data: string,
  interests: readonly string[],
): QuestionnaireAnswer | null {
  const [question, value = ''] = data.split(/=(.*)/s);
  if (question === 'timing' && (SEGMENT_ORDER as readonly string[]).includes(value))
    return { question: 'timing', segment: value as TimingSegment };
  if (question === 'interest' && interests.includes(value)) return { question: 'interest', interest: value };
  return null;
}

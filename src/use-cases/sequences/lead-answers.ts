import { SEGMENT_ORDER } from '../../domain/follow-up/purchase-timing.ts';
import type { LineMessage } from '../../domain/sequences/line-message-schema.ts';
import { interestPostbackData, timingPostbackData } from '../../domain/sequences/questionnaire-postback.ts';
import type { Catalog } from '../../messages.ts';
import type { LeadLineMessage } from '../../ports.ts';

/** The words a lead reads outside the sequences file. */
export type LeadWords = Catalog['sequenceLead'];

/** 「ご検討時期は？」 with its six quick-reply postback buttons. */
export function timingQuestion(words: LeadWords, text: string): LineMessage {
  return {
    type: 'text',
    text,
    quickReply: {
      items: SEGMENT_ORDER.map((segment) => ({
        type: 'action' as const,
        action: {
          type: 'postback' as const,
          label: words.timingChoices[segment],
          data: timingPostbackData(segment),
          displayText: words.timingChoices[segment],
        },
      })),
    },
  } as LineMessage;
}

/** 「特に気になることは？」 with the file's interests as quick replies (LINE allows 13). */
export function interestQuestion(words: LeadWords, interests: readonly string[]): LineMessage {
  return {
    type: 'text',
    text: words.interestQuestion,
    quickReply: {
      items: interests.slice(0, 13).map((interest) => ({
        type: 'action' as const,
        action: {
          type: 'postback' as const,
          label: interest.slice(0, 20),
          data: interestPostbackData(interest),
          displayText: interest,
        },
      })),
    },
  } as LineMessage;
}

/** The LINE messages of an answer to the lead (free by reply token while it is fresh). */
export function leadAnswerMessages(
  words: LeadWords,
  message: LeadLineMessage,
  ctx: { interests: readonly string[]; optInKeyword: string },
): LineMessage[] {
  const text = (value: string): LineMessage => ({ type: 'text', text: value }) as LineMessage;
  switch (message.key) {
    case 'timing_question':
      return [timingQuestion(words, words.timingAgain)];
    case 'timing_thanks':
      return message.askInterest && ctx.interests.length > 0
        ? [text(words.timingThanks), interestQuestion(words, ctx.interests)]
        : [text(words.timingThanks)];
    case 'interest_thanks':
      return [text(words.interestThanks)];
    case 'opted_out':
      return [text(words.optedOut(ctx.optInKeyword))];
    case 'opted_in':
      return [text(words.optedIn)];
  }
}

import { describe, expect, it } from 'vitest';
import type { Touch, TouchOutcome } from '../../../src/domain/follow-up/touch.ts';
import { isAnswered, isAttempt, MIN_ATTEMPTS_BEFORE_GIVING_UP } from '../../../src/domain/follow-up/touch.ts';

const at = (day: number) => new Date(Date.UTC(2024, 4, day, 1));

function touch(day: number, overrides: Partial<Touch> = {}): Touch {
  return {
    channel: 'phone',
    direction: 'outbound',
    outcome: 'no_answer',
    note: null,
    authorId: 'U1',
    at: at(day),
    ...overrides,
  };
}
const call = (day: number, outcome: TouchOutcome = 'no_answer') => touch(day, { outcome });

describe('isAnswered', () => {
  it.each<[TouchOutcome, boolean]>([
    ['reached', true],
    ['met', true],
    ['replied', true],
    ['no_answer', false],
    ['left_message', false],
    ['sent', false],
    ['other', false],
  ])('counts an outbound touch with outcome %s as answered: %s', (outcome, answered) => {
    expect(isAnswered(call(1, outcome))).toBe(answered);
  });

  it.each<TouchOutcome>(['replied', 'other', 'sent'])(
    'counts every inbound touch as answered (%s)',
    (outcome) => {
      expect(isAnswered(touch(1, { direction: 'inbound', outcome }))).toBe(true);
    },
  );
});

describe('isAttempt', () => {
  it.each<TouchOutcome>(['reached', 'met', 'replied', 'no_answer', 'left_message', 'sent', 'other'])(
    'counts an outbound touch with outcome %s as an attempt, and an inbound one as none',
    (outcome) => {
      expect(isAttempt(call(1, outcome))).toBe(true);
      expect(isAttempt(touch(1, { direction: 'inbound', outcome }))).toBe(false);
    },
  );
});

describe('the 4-touch rule', () => {
  it('asks for at least 4 attempts', () => {
    expect(MIN_ATTEMPTS_BEFORE_GIVING_UP).toBe(4);
  });
});

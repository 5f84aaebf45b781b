import { describe, expect, it } from 'vitest';
import type { Touch, TouchOutcome } from '../../../src/domain/follow-up/touch.ts';
import {
  attemptState,
  canCloseAsLost,
  isAnswered,
  isAttempt,
  MIN_ATTEMPTS_BEFORE_GIVING_UP,
  shouldMoveToNurture,
} from '../../../src/domain/follow-up/touch.ts';
import { prng } from '../../support/seeded-random.ts';

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
const line = (day: number) => touch(day, { channel: 'line', outcome: 'sent' });
const reply = (day: number) =>
  touch(day, { channel: 'line', direction: 'inbound', outcome: 'replied', authorId: null });

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

describe('attemptState', () => {
  it('starts at attempt 1 with nothing logged', () => {
    expect(attemptState([])).toEqual({
      unansweredAttempts: 0,
      nextAttemptNumber: 1,
      lastAttemptAt: null,
      lastTouchAt: null,
      lastAnsweredAt: null,
    });
  });

  it('counts unanswered attempts in any order and names the next one', () => {
    const state = attemptState([line(5), call(1), call(3, 'left_message')]);
    expect(state).toEqual({
      unansweredAttempts: 3,
      nextAttemptNumber: 4,
      lastAttemptAt: at(5),
      lastTouchAt: at(5),
      lastAnsweredAt: null,
    });
  });

  it('resets the count after an inbound reply and counts only the attempts after it', () => {
    const state = attemptState([call(1), call(2), call(3), reply(4), line(6)]);
    expect(state).toMatchObject({ unansweredAttempts: 1, nextAttemptNumber: 2, lastAnsweredAt: at(4) });
    expect(state.lastAttemptAt).toEqual(at(6));
  });

  it('resets the count when a call reaches the lead', () => {
    const state = attemptState([call(1), call(2), call(3, 'reached'), call(4)]);
    expect(state).toMatchObject({ unansweredAttempts: 1, lastAnsweredAt: at(3), lastAttemptAt: at(4) });
  });

  it('keeps lastAttemptAt on outbound touches and lastTouchAt on any touch', () => {
    const state = attemptState([call(2), reply(9)]);
    expect(state).toMatchObject({ lastAttemptAt: at(2), lastTouchAt: at(9), unansweredAttempts: 0 });
  });

  it('does not depend on the order of the touches (property)', () => {
    const random = prng(4);
    const kinds = [call, line, reply, (d: number) => call(d, 'reached')];
    for (let run = 0; run < 300; run++) {
      const touches = Array.from({ length: Math.floor(random() * 12) }, () =>
        (kinds[Math.floor(random() * kinds.length)] as (d: number) => Touch)(1 + Math.floor(random() * 28)),
      );
      const reversed = [...touches].reverse();
      expect(attemptState(reversed)).toEqual(attemptState(touches));
      const state = attemptState(touches);
      expect(state.nextAttemptNumber).toBe(state.unansweredAttempts + 1);
    }
  });
});

describe('the 4-touch rule', () => {
  it('asks for at least 4 attempts', () => {
    expect(MIN_ATTEMPTS_BEFORE_GIVING_UP).toBe(4);
  });

  it.each<[string, Touch[], ReturnType<typeof canCloseAsLost>]>([
    ['nothing logged', [], { ok: false, attemptsSoFar: 0, needed: 4 }],
    ['1 unanswered call', [call(1)], { ok: false, attemptsSoFar: 1, needed: 4 }],
    ['3 unanswered attempts', [call(1), line(2), call(3)], { ok: false, attemptsSoFar: 3, needed: 4 }],
    ['4 unanswered attempts', [call(1), line(2), call(3), line(4)], { ok: true }],
    ['5 unanswered attempts', [call(1), line(2), call(3), line(4), call(5)], { ok: true }],
    [
      '3 attempts, a reply, 1 attempt',
      [call(1), call(2), call(3), reply(4), call(5)],
      { ok: false, attemptsSoFar: 1, needed: 4 },
    ],
    [
      '4 attempts, a reply, 1 attempt',
      [call(1), call(2), call(3), call(4), reply(5), line(6)],
      { ok: false, attemptsSoFar: 1, needed: 4 },
    ],
    // The lead's own answer is the latest word: closing is a decision, not giving up on silence.
    ['a call that reached the lead last', [call(1), call(2, 'reached')], { ok: true }],
    ['a reply last', [call(1), reply(2)], { ok: true }],
  ])('closing as lost after %s', (_story, touches, expected) => {
    expect(canCloseAsLost(attemptState(touches))).toEqual(expected);
  });

  it.each<[string, Touch[], boolean]>([
    ['3 unanswered attempts', [call(1), line(2), call(3)], false],
    ['4 unanswered attempts', [call(1), line(2), call(3), line(4)], true],
    ['4 attempts, then a reply', [call(1), line(2), call(3), line(4), reply(5)], false],
    ['a reply, then 4 more attempts', [call(1), reply(5), call(6), call(7), call(8), call(9)], true],
  ])('moves to long-term nurture after %s: %s', (_story, touches, expected) => {
    expect(shouldMoveToNurture(attemptState(touches))).toBe(expected);
  });
});

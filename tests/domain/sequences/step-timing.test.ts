import { describe, expect, it } from 'vitest';
import {
  addStepDelay,
  handoverAnchor,
  parseStepDelay,
  parseStepTime,
  stepDueMoment,
} from '../../../src/domain/sequences/step-timing.ts';

const TOKYO = 'Asia/Tokyo';
const NEW_YORK = 'America/New_York';
/** A Tokyo wall time such as '2026-01-09T17:55'. */
const jst = (wall: string) => new Date(`${wall}+09:00`);

describe('parseStepDelay', () => {
  it.each([
    ['30m', { amount: 30, unit: 'm' }],
    ['2h', { amount: 2, unit: 'h' }],
    ['3d', { amount: 3, unit: 'd' }],
    ['0d', { amount: 0, unit: 'd' }],
    [' 14d ', { amount: 14, unit: 'd' }],
    ['３ｄ', { amount: 3, unit: 'd' }],
    ['3660d', { amount: 3660, unit: 'd' }],
  ])('reads %j', (text, expected) => {
    expect(parseStepDelay(text)).toEqual(expected);
  });

  it.each(['', '3', 'd', '3 d', '3D', '1w', '1.5d', '-1d', '3days', '1mo'])(
    'refuses %j with the expected form',
    (text) => {
      expect(() => parseStepDelay(text)).toThrow(/expected a whole number and m, h or d/);
    },
  );

  it('refuses a delay over ten years', () => {
    expect(() => parseStepDelay('3661d')).toThrow(/at most 3660d/);
    expect(() => parseStepDelay('87841h')).toThrow(/at most 87840h/);
  });
});

describe('parseStepTime', () => {
  it.each([
    ['10:00', 600],
    ['00:00', 0],
    ['23:59', 1439],
    ['１０：３０', 630],
  ])('reads %j', (text, minute) => {
    expect(parseStepTime(text)).toBe(minute);
  });

  it.each(['24:00', '9:00', '10:60', '10', 'noon'])('refuses %j', (text) => {
    expect(() => parseStepTime(text)).toThrow(/expected HH:MM/);
  });
});

describe('stepDueMoment', () => {
  const step = (after: string, at?: string) => ({
    after: parseStepDelay(after),
    ...(at === undefined ? {} : { at: parseStepTime(at) }),
  });

  it('adds minutes and hours as elapsed time', () => {
    expect(stepDueMoment(step('90m'), jst('2026-03-01T23:00'), TOKYO)).toEqual(jst('2026-03-02T00:30'));
    expect(stepDueMoment(step('2h'), jst('2026-03-01T23:00'), TOKYO)).toEqual(jst('2026-03-02T01:00'));
  });

  it('adds days as calendar days across a month end and a year end', () => {
    expect(stepDueMoment(step('3d'), jst('2026-01-30T15:20'), TOKYO)).toEqual(jst('2026-02-02T15:20'));
    expect(stepDueMoment(step('1d'), jst('2028-02-28T08:00'), TOKYO)).toEqual(jst('2028-02-29T08:00'));
    expect(stepDueMoment(step('2d'), jst('2026-12-31T10:00'), TOKYO)).toEqual(jst('2027-01-02T10:00'));
  });

  it('takes the time of day on the same day when the delay ends before it', () => {
    expect(stepDueMoment(step('3d', '10:00'), jst('2026-04-01T08:00'), TOKYO)).toEqual(
      jst('2026-04-04T10:00'),
    );
  });

  it('takes the time of day on the next day when the delay ends after it', () => {
    expect(stepDueMoment(step('3d', '10:00'), jst('2026-04-01T14:00'), TOKYO)).toEqual(
      jst('2026-04-05T10:00'),
    );
    expect(stepDueMoment(step('0d', '10:00'), jst('2026-12-31T10:01'), TOKYO)).toEqual(
      jst('2027-01-01T10:00'),
    );
  });

  it('keeps the delay end itself when it is exactly the time of day', () => {
    expect(stepDueMoment(step('1d', '10:00'), jst('2026-04-01T10:00'), TOKYO)).toEqual(
      jst('2026-04-02T10:00'),
    );
  });

  it('crosses midnight for an hour delay with a time of day', () => {
    expect(stepDueMoment(step('3h', '09:30'), jst('2026-05-31T22:00'), TOKYO)).toEqual(
      jst('2026-06-01T09:30'),
    );
  });

  it('keeps the local time of day across the spring-forward change in New York', () => {
    // 2026-03-08 02:00 EST -> 03:00 EDT.
    const anchor = new Date('2026-03-07T10:00:00-05:00');
    expect(addStepDelay(anchor, parseStepDelay('1d'), NEW_YORK)).toEqual(
      new Date('2026-03-08T10:00:00-04:00'),
    );
    expect(addStepDelay(anchor, parseStepDelay('24h'), NEW_YORK)).toEqual(
      new Date('2026-03-08T11:00:00-04:00'),
    );
    expect(stepDueMoment(step('1d', '09:00'), anchor, NEW_YORK)).toEqual(
      new Date('2026-03-09T09:00:00-04:00'),
    );
  });

  it('keeps the local time of day across the fall-back change in New York', () => {
    // 2026-11-01 02:00 EDT -> 01:00 EST.
    const anchor = new Date('2026-10-31T21:00:00-04:00');
    expect(addStepDelay(anchor, parseStepDelay('1d'), NEW_YORK)).toEqual(
      new Date('2026-11-01T21:00:00-05:00'),
    );
  });

  it('counts handover sequences from the handover date', () => {
    const anchor = handoverAnchor('2026-01-31', TOKYO);
    expect(anchor).toEqual(jst('2026-01-31T00:00'));
    expect(stepDueMoment(step('30d', '10:00'), anchor, TOKYO)).toEqual(jst('2026-03-02T10:00'));
    expect(stepDueMoment(step('365d', '10:00'), anchor, TOKYO)).toEqual(jst('2027-01-31T10:00'));
  });
});

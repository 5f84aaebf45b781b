import { describe, expect, it } from 'vitest';
import {
  matchOptKeyword,
  normaliseKeywordText,
  parseKeywordList,
} from '../../../src/domain/sequences/opt-out-keywords.ts';

const keywords = { optOut: ['配信停止', 'STOP'], optIn: ['配信再開'] };

describe('matchOptKeyword', () => {
  it.each([
    ['配信停止', 'opt_out'],
    ['  配信停止  ', 'opt_out'],
    ['\u3000配信停止\u3000', 'opt_out'],
    ['配信　停止', 'opt_out'],
    ['配信 停止\n', 'opt_out'],
    ['stop', 'opt_out'],
    ['ＳＴＯＰ', 'opt_out'],
    ['Stop ', 'opt_out'],
    ['配信再開', 'opt_in'],
    [' 配信再開\u3000', 'opt_in'],
  ])('reads %j as %s', (message, expected) => {
    expect(matchOptKeyword(message, keywords)).toBe(expected);
  });

  it.each([
    '配信停止します',
    '配信停止。',
    '配信停止してください',
    '「配信停止」',
    '停止',
    '配信を停止',
    'stopp',
    '',
    '   ',
    '配信再開。',
  ])('does not read %j as a keyword', (message) => {
    expect(matchOptKeyword(message, keywords)).toBeNull();
  });

  it('reads half-width katakana as the usual katakana on both sides', () => {
    expect(matchOptKeyword('ｽﾄｯﾌﾟ', { optOut: ['ストップ'], optIn: [] })).toBe('opt_out');
    expect(matchOptKeyword('ストップ', { optOut: ['ｽﾄｯﾌﾟ'], optIn: [] })).toBe('opt_out');
  });
});

describe('parseKeywordList', () => {
  it.each([
    ['配信停止', ['配信停止']],
    ['配信停止,停止', ['配信停止', '停止']],
    [' 配信停止 ， ストップ 、STOP,, ', ['配信停止', 'ストップ', 'stop']],
    ['配信停止,配信　停止', ['配信停止']],
  ])('reads %j as %j', (text, expected) => {
    expect(parseKeywordList(text)).toEqual(expected);
  });

  it('refuses a list with no keyword', () => {
    expect(() => parseKeywordList(' , 、 ')).toThrow(/at least one keyword/);
  });

  it('normalises as it matches', () => {
    expect(normaliseKeywordText(' ｽﾄｯﾌﾟ　Ｎｏｗ ')).toBe('ストップnow');
  });
});

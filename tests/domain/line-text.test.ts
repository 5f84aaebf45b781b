import { describe, expect, it } from 'vitest';
import {
  LINE_MESSAGES_PER_PUSH,
  LINE_SENDER_NAME_MAX,
  LINE_TEXT_MAX,
  senderNameFor,
  splitForLine,
} from '../../src/domain/line-text.ts';
import { prng } from '../support/seeded-random.ts';

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const codePoints = (text: string) => Array.from(text).length;

/** One code point outside the BMP: two UTF-16 code units. */
const YOSHI = '𠮷';

describe('LINE limits', () => {
  it('match the Messaging API reference', () => {
    expect(LINE_TEXT_MAX).toBe(5000);
    expect(LINE_MESSAGES_PER_PUSH).toBe(5);
    expect(LINE_SENDER_NAME_MAX).toBe(20);
  });
});

describe('splitForLine', () => {
  it('sends a short reply as one message', () => {
    expect(splitForLine('お問い合わせありがとうございます。')).toEqual([
      'お問い合わせありがとうございます。',
    ]);
  });

  it('returns no parts for an empty reply', () => {
    expect(splitForLine('')).toEqual([]);
  });

  it.each([
    ['a', 5000, [5000]],
    ['a', 5001, [5000, 1]],
    ['a', 10000, [5000, 5000]],
    ['a', 24999, [5000, 5000, 5000, 5000, 4999]],
    ['a', 25000, [5000, 5000, 5000, 5000, 5000]],
    ['あ', 5000, [5000]],
    ['あ', 5001, [5000, 1]],
    ['あ', 25000, [5000, 5000, 5000, 5000, 5000]],
  ])('splits %j x %i into parts of %j characters', (char, count, sizes) => {
    const text = char.repeat(count);
    const parts = splitForLine(text);
    expect(parts?.map((part) => part.length)).toEqual(sizes);
    expect(parts?.join('')).toBe(text);
  });

  it.each([
    ['a', 25001],
    ['あ', 25001],
    ['a', 100000],
  ])('refuses %j x %i because it would need more than one push', (char, count) => {
    expect(splitForLine(char.repeat(count))).toBeNull();
  });

  it('keeps line breaks and spaces exactly as typed', () => {
    const text = `${'あ'.repeat(4999)}\n\n  ${'い'.repeat(10)}`;
    expect(splitForLine(text)?.join('')).toBe(text);
  });

  it.each([[1], [2500], [4999], [5000], [5001], [12500]])(
    'never cuts a surrogate pair when splitting %i x "𠮷"',
    (count) => {
      const text = YOSHI.repeat(count);
      const parts = splitForLine(text);
      expect(parts).not.toBeNull();
      expect(parts?.join('')).toBe(text);
      for (const part of parts ?? []) {
        expect(part.length).toBeGreaterThan(0);
        expect(part).not.toMatch(LONE_SURROGATE);
      }
    },
  );

  it('never cuts a surrogate pair that straddles the 5000th code unit', () => {
    const text = `${'a'.repeat(4999)}${YOSHI}${'b'.repeat(10)}`;
    const parts = splitForLine(text);
    expect(parts?.join('')).toBe(text);
    for (const part of parts ?? []) expect(part).not.toMatch(LONE_SURROGATE);
  });

  it('refuses 25001 x "𠮷"', () => {
    expect(splitForLine(YOSHI.repeat(25001))).toBeNull();
  });

  it('splits generated text losslessly into at most 5 parts without cutting a surrogate pair', () => {
    const random = prng(5000);
    const alphabet = ['a', ' ', '\n', 'あ', '漢', YOSHI, '🍎', '👋🏻'];
    for (let i = 0; i < 40; i++) {
      const target = Math.floor(random() * 30000);
      let text = '';
      while (text.length < target) {
        const piece = alphabet[Math.floor(random() * alphabet.length)] ?? 'a';
        text += piece.repeat(1 + Math.floor(random() * 200));
      }
      const parts = splitForLine(text);
      if (parts === null) {
        expect(text.length).toBeGreaterThan(LINE_TEXT_MAX * LINE_MESSAGES_PER_PUSH);
        continue;
      }
      expect(codePoints(text)).toBeLessThanOrEqual(LINE_TEXT_MAX * LINE_MESSAGES_PER_PUSH);
      expect(parts.length).toBeLessThanOrEqual(LINE_MESSAGES_PER_PUSH);
      expect(parts.join('')).toBe(text);
      for (const part of parts) {
        expect(part.length).toBeGreaterThan(0);
        expect(part).not.toMatch(LONE_SURROGATE);
      }
    }
  });

  // Known bug: LINE counts text in UTF-16 code units ("🍎" is 2 characters; see
  // https://developers.line.biz/en/docs/messaging-api/text-character-count/), and so does the
  // fake LINE API (z.string().max(5000)). splitForLine counts code points, so 5000 x "𠮷" is sent
  // as one 10000-unit text that LINE rejects with 400.
  it("keeps every part within LINE's 5000 UTF-16 code unit limit", () => {
    const parts = splitForLine(YOSHI.repeat(5000));
    expect(parts).not.toBeNull();
    for (const part of parts ?? []) expect(part.length).toBeLessThanOrEqual(LINE_TEXT_MAX);
  });
});

describe('senderNameFor', () => {
  it.each([
    ['佐藤', '担当者', '佐藤'],
    ['  佐藤 太郎  ', '担当者', '佐藤 太郎'],
    ['\n\tSato\t\n', 'Sales rep', 'Sato'],
    [null, '担当者', '担当者'],
    ['', '担当者', '担当者'],
    ['   ', '担当者', '担当者'],
    ['\u3000', '担当者', '担当者'],
  ])('uses %j (fallback %j) as %j', (displayName, fallback, expected) => {
    expect(senderNameFor(displayName, fallback)).toBe(expected);
  });

  it.each([
    ['a'.repeat(20), 'a'.repeat(20)],
    ['a'.repeat(21), 'a'.repeat(20)],
    ['あ'.repeat(25), 'あ'.repeat(20)],
    ['佐藤太郎（東京営業部　第一グループ　リーダー）', '佐藤太郎（東京営業部　第一グループ　リー'],
  ])('cuts %j to 20 characters', (displayName, expected) => {
    expect(senderNameFor(displayName, 'fallback')).toBe(expected);
  });

  it('cuts a long fallback to 20 characters too', () => {
    expect(senderNameFor(null, 'x'.repeat(30))).toBe('x'.repeat(20));
  });

  it('trims before cutting, so leading spaces do not use up the 20 characters', () => {
    expect(senderNameFor(`${' '.repeat(10)}${'b'.repeat(20)}`, 'f')).toBe('b'.repeat(20));
  });

  it('never cuts an emoji or "𠮷" in half', () => {
    for (const char of [YOSHI, '🍎']) {
      const name = senderNameFor(char.repeat(25), 'f');
      expect(name).not.toMatch(LONE_SURROGATE);
      expect(codePoints(name)).toBeLessThanOrEqual(LINE_SENDER_NAME_MAX);
      expect(name.length).toBeGreaterThan(0);
    }
  });
});

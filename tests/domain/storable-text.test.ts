import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, storableJson, storableText, TooDeepError } from '../../src/domain/storable-text.ts';

describe('storableText', () => {
  it('replaces NUL and lone surrogates with U+FFFD and keeps everything else', () => {
    expect(storableText('a\u0000b')).toBe('a\ufffdb');
    expect(storableText('x\ud800y')).toBe('x\ufffdy');
    expect(storableText('\udc00end')).toBe('\ufffdend');
    expect(storableText('tail\ud83d')).toBe('tail\ufffd');
    expect(storableText('絵文字😀とカタカナ')).toBe('絵文字😀とカタカナ');
    expect(storableText('')).toBe('');
  });

  it('gives a string that survives a UTF-8 round trip unchanged', () => {
    const samples = ['\u0000\u0000', '\ud800\ud800\udc00', 'ok', '\udfff\ud800'];
    for (const sample of samples) {
      const clean = storableText(sample);
      expect(Buffer.from(clean, 'utf8').toString('utf8')).toBe(clean);
      expect(clean.includes('\u0000')).toBe(false);
    }
  });
});

describe('storableJson', () => {
  it('cleans every string, keys included, and leaves other values alone', () => {
    expect(storableJson({ 'k\u0000': ['a\ud800', 1, null, true, { t: 'fine' }] })).toEqual({
      'k\ufffd': ['a\ufffd', 1, null, true, { t: 'fine' }],
    });
  });

  it('refuses nesting deeper than the limit instead of recursing without bound', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => storableJson(deep)).toThrow(TooDeepError);
    let ok: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH - 1; i++) ok = { a: ok };
    expect(() => storableJson(ok)).not.toThrow();
  });
});

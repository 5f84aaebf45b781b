import { describe, expect, it } from 'vitest';
import { parseTag } from '../../../src/domain/sequences/lead-tag.ts';

describe('parseTag', () => {
  it('trims a typed tag and keeps it as typed', () => {
    expect(parseTag('  平屋 ')).toEqual({ ok: true, tag: '平屋' });
    expect(parseTag('性能・断熱')).toEqual({ ok: true, tag: '性能・断熱' });
  });

  it('refuses an empty tag, one over 20 characters, and any comma', () => {
    expect(parseTag(' \u3000 ')).toEqual({ ok: false, problem: 'empty' });
    expect(parseTag('あ'.repeat(20))).toEqual({ ok: true, tag: 'あ'.repeat(20) });
    expect(parseTag('あ'.repeat(21))).toEqual({ ok: false, problem: 'too_long' });
    for (const text of ['平屋,二階', '平屋，二階', '平屋、二階'])
      expect(parseTag(text)).toEqual({ ok: false, problem: 'comma' });
  });

  it('stores what PostgreSQL can store', () => {
    expect(parseTag('平屋\u0000')).toEqual({ ok: true, tag: '平屋\ufffd' });
  });
});

import { describe, expect, it } from 'vitest';
import type { AmountBand } from '../../../src/domain/follow-up/amount-band.ts';
import { amountBand, formatYen, parseYenInput } from '../../../src/domain/follow-up/amount-band.ts';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../../src/domain/follow-up/default-follow-up-settings.ts';
import { prng } from '../../support/seeded-random.ts';

const bands = DEFAULT_FOLLOW_UP_SETTINGS.amountBands;

describe('amountBand', () => {
  it.each([
    [null, null],
    [0, 'up_to_20m'],
    [19_999_999, 'up_to_20m'],
    [20_000_000, 'up_to_20m'],
    [20_000_001, 'up_to_40m'],
    [40_000_000, 'up_to_40m'],
    [45_000_000, 'up_to_60m'],
    [60_000_000, 'up_to_60m'],
    [60_000_001, 'over_60m'],
    [1_000_000_000, 'over_60m'],
  ])('puts %j in %s (upper bounds inclusive)', (amount, key) => {
    expect(amountBand(amount, bands)?.key ?? null).toBe(key);
  });

  it('falls back to the last band above every bound and to null without bands', () => {
    const bounded: AmountBand[] = [{ key: 'small', label: 'small', maxYen: 100 }];
    expect(amountBand(500, bounded)?.key).toBe('small');
    expect(amountBand(500, [])).toBeNull();
  });
});

describe('formatYen', () => {
  it.each([
    [0, '0円'],
    [9_800, '9,800円'],
    [9_999, '9,999円'],
    [10_000, '1万円'],
    [12_345, '1万2,345円'],
    [980_000, '98万円'],
    [35_000_000, '3,500万円'],
    [35_001_234, '3,500万1,234円'],
    [99_990_000, '9,999万円'],
    [100_000_000, '1億円'],
    [120_000_000, '1億2,000万円'],
    [100_005_000, '1億5,000円'],
    [1_234_567_890, '12億3,456万7,890円'],
    [1_000_000_000_000, '10,000億円'],
    [-35_000_000, '-3,500万円'],
    [9_800.4, '9,800円'],
  ])('%d yen reads %s', (amount, text) => {
    expect(formatYen(amount)).toBe(text);
  });
});

describe('parseYenInput', () => {
  it.each([
    ['3500万', 35_000_000],
    ['3,500万円', 35_000_000],
    ['3500万円', 35_000_000],
    ['３５００万', 35_000_000],
    ['３，５００万円', 35_000_000],
    ['1.2億', 120_000_000],
    ['１．２億円', 120_000_000],
    ['0.29億', 29_000_000],
    ['1億2000万', 120_000_000],
    ['1億2,000万円', 120_000_000],
    ['1億5000', 100_005_000],
    ['3,500万1,234円', 35_001_234],
    ['35000000', 35_000_000],
    ['35,000,000円', 35_000_000],
    ['¥35,000,000', 35_000_000],
    ['￥３５，０００，０００', 35_000_000],
    [' 3500 万 ', 35_000_000],
    ['2500.5万', 25_005_000],
  ])('reads %j as %d', (text, yen) => {
    expect(parseYenInput(text)).toEqual({ ok: true, yen });
  });

  it.each([
    ['', 'empty'],
    ['  ', 'empty'],
    ['円', 'empty'],
    ['abc', 'format'],
    ['-3500万', 'format'],
    ['3500万億', 'format'],
    ['万', 'format'],
    ['1億20000万', 'format'],
    ['3500万20000', 'format'],
    ['1.2.3億', 'format'],
    ['三千五百万', 'format'],
    ['99999999999億', 'too_large'],
    // A deal is never worth 0 yen: unknown is an empty field.
    ['0', 'zero'],
    ['0万円', 'zero'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(parseYenInput(text)).toEqual({ ok: false, problem });
  });

  it('reads back every formatted amount (property)', () => {
    const random = prng(3500);
    for (let run = 0; run < 2000; run++) {
      const magnitude = 10 ** Math.floor(random() * 12);
      const amount = 1 + Math.floor(random() * magnitude * 10);
      expect(parseYenInput(formatYen(amount)), String(amount)).toEqual({ ok: true, yen: amount });
    }
  });
});

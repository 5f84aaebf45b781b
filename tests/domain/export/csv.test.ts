import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, UTF8_BOM, zonedIso } from '../../../src/domain/export/csv.ts';

const TOKYO = 'Asia/Tokyo';

/** A strict RFC 4180 reader (CRLF records, quoted fields with "" for a quote), for the round trip. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i += 1;
      } else {
        field += c;
        i += 1;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      if (c === '"' || c === '\r' || c === '\n') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
      field += c;
      i += 1;
    }
  }
  if (quoted || field !== '' || row.length > 0) throw new Error('the file does not end with CRLF');
  return rows;
}

describe('csvDocument', () => {
  it('starts with the BOM, ends every line with CRLF, and writes each kind of cell', () => {
    const text = csvDocument(
      ['名前', '金額', '登録日時', '有効', 'メモ'],
      [
        ['山田 太郎', 35_000_000, new Date('2026-12-01T00:05:00Z'), true, null],
        ['A&B工務店, 本社', -1200, new Date('2026-06-30T15:00:00Z'), false, '「見学」希望\n週末'],
      ],
      TOKYO,
    );
    expect(text.startsWith(UTF8_BOM)).toBe(true);
    expect(text.slice(1)).toBe(
      [
        '名前,金額,登録日時,有効,メモ',
        '山田 太郎,35000000,2026-12-01T09:05:00+09:00,true,',
        '"A&B工務店, 本社",-1200,2026-07-01T00:00:00+09:00,false,"「見学」希望\n週末"',
        '',
      ].join('\r\n'),
    );
  });

  it('keeps a name a spreadsheet would run as a formula as text', () => {
    for (const name of ['=HYPERLINK("http://x","クリック")', '+81 90 1234 5678', '-', '@sato', '\t=1+1']) {
      const [, [cell]] = readCsv(csvDocument(['名前'], [[name]], TOKYO).slice(1)) as [string[], string[]];
      expect(cell).toBe(`'${name}`);
    }
    // Numbers stay numbers, negative ones too.
    expect(csvCell(-5, TOKYO)).toBe('-5');
    expect(csvCell(Number.NaN, TOKYO)).toBe('');
  });

  it('refuses a row whose width differs from the header', () => {
    expect(() => csvDocument(['a', 'b'], [['only one']], TOKYO)).toThrow(RangeError);
  });

  it('round-trips any text through an RFC 4180 reader, and no cell reads back as a formula', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 3, maxLength: 3 }), { maxLength: 8 }),
        (rows) => {
          const text = csvDocument(['a', 'b', 'c'], rows, TOKYO);
          expect(text.startsWith(UTF8_BOM)).toBe(true);
          const read = readCsv(text.slice(1));
          expect(read[0]).toEqual(['a', 'b', 'c']);
          expect(read.slice(1)).toEqual(
            rows.map((row) => row.map((s) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s))),
          );
          for (const row of read.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('zonedIso', () => {
  it('writes the wall-clock time with the zone’s offset, across DST and half-hour zones', () => {
    expect(zonedIso(new Date('2026-12-31T15:00:00Z'), TOKYO)).toBe('2027-01-01T00:00:00+09:00');
    expect(zonedIso(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe('2026-07-01T08:00:00-04:00');
    expect(zonedIso(new Date('2026-12-01T12:00:00Z'), 'America/New_York')).toBe('2026-12-01T07:00:00-05:00');
    expect(zonedIso(new Date('2026-12-01T12:00:00Z'), 'Asia/Kolkata')).toBe('2026-12-01T17:30:00+05:30');
    expect(zonedIso(new Date('2026-12-01T12:00:00.999Z'), 'UTC')).toBe('2026-12-01T12:00:00+00:00');
  });

  it('reads back as the same second, for any instant', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1990-01-01T00:00:00Z'),
          max: new Date('2090-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(TOKYO, 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'UTC'),
        (instant, zone) => {
          const back = Date.parse(zonedIso(instant, zone));
          expect(back).toBe(Math.floor(instant.getTime() / 1000) * 1000);
        },
      ),
      { numRuns: 500 },
    );
  });
});

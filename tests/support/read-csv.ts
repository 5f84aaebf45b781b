/**
 * A strict RFC 4180 reader for exported files: CRLF records, quoted fields with "" for a quote;
 * a bare quote or line break outside quotes, or a file not ending in CRLF, throws.
 */
export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      if (c === '"' || c === '\r' || c === '\n') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
      field += c;
    }
  }
  if (quoted || field !== '' || row.length > 0) throw new Error('the file does not end with CRLF');
  return rows;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** An exported file's bytes: checks the UTF-8 byte order mark, then reads the records after it. */
export function readExport(bytes: Buffer): string[][] {
  if (!bytes.subarray(0, 3).equals(BOM)) throw new Error('the file does not start with the UTF-8 BOM');
  return readCsv(bytes.subarray(3).toString('utf8'));
}

/** The records as objects keyed by the header row's names. */
export function recordsOf(rows: string[][]): Record<string, string>[] {
  const [header = [], ...data] = rows;
  return data.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

import fc from 'fast-check';

/** JSON text kept as is by `jsonText`: numbers JSON.stringify cannot write (1e999), deep nesting. */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/**
 * JSON text written by hand, every code unit outside printable ASCII escaped as \uXXXX: a lone
 * surrogate or a NUL reaches the server as the escape LINE or Slack would send, never as the
 * U+FFFD that encoding a JS string to UTF-8 would put in its place. `undefined` members are left
 * out, as JSON.stringify does.
 */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`write ${value} as RawJson`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value).filter(([, inner]) => inner !== undefined);
    return `{${members.map(([key, inner]) => `${quote(key)}:${jsonText(inner)}`).join(',')}}`;
  }
  throw new Error(`not JSON: ${typeof value}`);
}

function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x22) out += '\\"';
    else if (unit === 0x5c) out += '\\\\';
    else if (unit < 0x20 || unit >= 0x7f) out += `\\u${unit.toString(16).padStart(4, '0')}`;
    else out += text[i];
  }
  return `${out}"`;
}

/**
 * What PostgreSQL can keep of a text, worked out here on its own terms: NUL and any surrogate
 * without its partner become U+FFFD, a surrogate pair stays.
 */
export function storable(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += text.slice(i, i + 2);
      i++;
    } else if (unit === 0 || (unit >= 0xd800 && unit <= 0xdfff)) out += '\ufffd';
    else out += text[i];
  }
  return out;
}

/** `[[[…"bottom"…]]]`, or objects, `depth` levels deep. */
export function deepJson(depth: number, shape: 'array' | 'object' = 'array'): RawJson {
  return shape === 'array'
    ? new RawJson(`${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`)
    : new RawJson(`${'{"d":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`);
}

const nastyUnit = fc.constantFrom(
  '\u0000',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ud83d\ude00',
  '\u202e',
  '\ufeff',
  '\ufffd',
  '\u0085',
  '\u2028',
  '"',
  '\\',
  "'",
  '\n',
  '\r',
  '\t',
  '%',
  '&',
  '=',
  '+',
  '<',
  '>',
  '|',
  ':',
  '*',
  '_',
  '~',
  '`',
  '<@U0FAKE>',
  '<!channel>',
  '&amp;',
  '%00',
  '\\u0000',
  '追客',
);

/** One character of any kind: mostly ordinary text, often NUL, lone surrogates and markup. */
export const hostileUnit = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 1 },
  { arbitrary: nastyUnit, weight: 3 },
);

export const hostileString = (maxLength = 24) => fc.string({ unit: hostileUnit, maxLength });

/** JSON numbers LINE or Slack would never send as a count or a time. */
export const oddNumber = fc.constantFrom<unknown>(
  1e20,
  -1,
  1.5,
  0.1,
  -0.5,
  Number.MAX_SAFE_INTEGER + 2,
  8.64e15 + 1,
  new RawJson('1e999'),
  new RawJson('-1e999'),
  new RawJson('1e-400'),
);

/** Any JSON value, its strings and keys hostile, now and then very deep. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    oddNumber,
    hostileString(),
    fc.constantFrom('NaN', 'Infinity', '-1', '1.5', '1e20', '', 'null', 'true'),
    fc.integer({ min: 100, max: 10_000 }).map((depth) => deepJson(depth)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString(8), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Whole bodies that are not JSON at all, as bytes (invalid UTF-8 included). */
export const garbageBytes = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
  fc
    .constantFrom(
      'not json',
      '{',
      '}',
      '[',
      '{"events":',
      'null',
      'NaN',
      '{"a":NaN}',
      '{"a":1e999',
      '\ufeff{}',
      '{"destination":"U1","events":[],}',
      "{'destination':'U1'}",
      '{"destination":"U1","events":[]}garbage',
      'payload=%7B',
      'a=b&c',
      '\u0000',
    )
    .map((text) => Buffer.from(text, 'utf8')),
  fc.constantFrom(
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    Buffer.from([0xc0, 0x80]),
    Buffer.from('{"destination":"\u00ff"}', 'latin1'),
  ),
  fc.integer({ min: 1, max: 10_000 }).map((depth) => Buffer.from('['.repeat(depth))),
);

/** Content types a sender could put on a webhook, right and wrong; null sends none. */
export const contentType = fc.constantFrom<string | null>(
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/html; charset=shift_jis',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/jsonp',
  'application/json; charset=utf-16',
  '*/*',
  'garbage',
  null,
);

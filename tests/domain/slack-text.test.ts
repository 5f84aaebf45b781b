import { describe, expect, it } from 'vitest';
import { escapeSlackText, slackMarkupToPlain, slackUserMentions } from '../../src/domain/slack-text.ts';
import { prng } from '../support/seeded-random.ts';

/** Pieces chosen to stress the escaping: markup, entities (whole and broken), Japanese, emoji. */
const pieces = [
  '<',
  '>',
  '&',
  'amp;',
  'lt;',
  'gt;',
  '&amp;',
  '&lt;',
  '&gt;',
  '&amp;lt;',
  '<!channel>',
  '<!here>',
  '<@U123|sato>',
  '<#C123|general>',
  '<https://evil.example|bank>',
  '|',
  '@',
  '!',
  '#',
  '^',
  ' ',
  '\n',
  'a',
  'Z',
  '0',
  'こんにちは',
  '追客',
  '𠮷',
  '👋🏻',
  '🍎',
  '\uD83D', // lone high surrogate
  '\uDC4B', // lone low surrogate
];

function randomText(random: () => number, maxPieces: number): string {
  const count = Math.floor(random() * (maxPieces + 1));
  let out = '';
  for (let i = 0; i < count; i++) out += pieces[Math.floor(random() * pieces.length)];
  return out;
}

describe('escapeSlackText', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here>', '&lt;!here&gt;'],
    ['<!everyone>', '&lt;!everyone&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<@U123|sato>', '&lt;@U123|sato&gt;'],
    ['<#C123|general>', '&lt;#C123|general&gt;'],
    ['<https://evil|bank>', '&lt;https://evil|bank&gt;'],
    ['<!subteam^S123|@sales>', '&lt;!subteam^S123|@sales&gt;'],
    ['AT&T', 'AT&amp;T'],
    ['&', '&amp;'],
    ['a < b > c', 'a &lt; b &gt; c'],
  ])('neutralises %j so Slack shows it literally', (input, expected) => {
    expect(escapeSlackText(input)).toBe(expected);
  });

  it('escapes an already escaped entity again so a lead who typed "&lt;" sees "&lt;", not "<"', () => {
    expect(escapeSlackText('&lt;')).toBe('&amp;lt;');
    expect(escapeSlackText('&amp;')).toBe('&amp;amp;');
  });

  it.each([
    ['', ''],
    ['こんにちは、佐藤です。', 'こんにちは、佐藤です。'],
    ['*bold* _italic_ ~strike~ `code`', '*bold* _italic_ ~strike~ `code`'],
    ['@channel @here', '@channel @here'],
    ['👋🏻 𠮷野家', '👋🏻 𠮷野家'],
    ['line1\nline2', 'line1\nline2'],
  ])('leaves text without &, < or > unchanged: %j', (input, expected) => {
    expect(escapeSlackText(input)).toBe(expected);
  });

  it('never leaves a raw < or > and starts every & an entity, for generated text', () => {
    const random = prng(0x5eed);
    for (let i = 0; i < 500; i++) {
      const escaped = escapeSlackText(randomText(random, 20));
      expect(escaped).not.toMatch(/[<>]/);
      expect(escaped.replace(/&(?:amp|lt|gt);/g, '')).not.toContain('&');
    }
  });
});

describe('slackMarkupToPlain', () => {
  it.each([
    ['<https://example.com|example.com>', 'example.com'],
    ['<https://example.com>', 'https://example.com'],
    ['<https://example.com/path?q=1&amp;r=2>', 'https://example.com/path?q=1&r=2'],
    ['<https://example.com|見積もりはこちら>', '見積もりはこちら'],
    ['<https://example.com|A &amp; B>', 'A & B'],
    ['<mailto:a@b.jp|a@b.jp>', 'a@b.jp'],
    ['<mailto:a@b.jp>', 'a@b.jp'],
    ['<@U123|sato>', 'sato'],
    ['<#C123|general>', '#general'],
    ['<!date^1392734382^{date_short}|Feb 18, 2014>', 'Feb 18, 2014'],
    ['&lt;&gt;&amp;', '<>&'],
    ['a &lt; b &amp;&amp; c &gt; d', 'a < b && c > d'],
    ['&amp;lt;', '&lt;'],
    ['&amp;amp;', '&amp;'],
  ])('turns %j back into what the person typed', (input, expected) => {
    expect(slackMarkupToPlain(input)).toBe(expected);
  });

  it.each([
    ['<@U123>', 'a person nobody can name'],
    ['<#C123>', 'a channel without a name'],
    ['<!here>', '@here'],
    ['<!channel>', '@channel'],
    ['<!everyone>', '@everyone'],
    ['<!subteam^S123|@sales>', 'a user group'],
    ['<!subteam^S123>', 'a user group without a name'],
    ['<!date^1392734382^{date_short}>', 'a date without fallback text'],
    ['<!something_new^X1|label>', 'a special mention Slack adds later'],
  ])('drops %j (%s), which means nothing to a lead', (input) => {
    expect(slackMarkupToPlain(input)).toBe('');
  });

  it('unwraps several pieces of markup in one message', () => {
    expect(
      slackMarkupToPlain(
        '<@U1|sato> さん、<https://example.com|資料> を <#C9|sales> に置きました &amp; 確認を',
      ),
    ).toBe('sato さん、資料 を #sales に置きました & 確認を');
  });

  describe('names a mentioned person with nameOf', () => {
    const names: Record<string, string> = { U0REP: '佐藤', U0AMP: 'A&amp;B', U0BLANK: '  ' };
    const nameOf = (id: string) => names[id];

    it.each([
      ['<@U0REP> です', '佐藤 です'],
      ['<@U0REP>さん', '佐藤さん'],
      ['hi <@U0REP> <!channel> <#C0TEAM|general>', 'hi 佐藤 #general'],
      ['<@U0REP|sato>', 'sato'],
      ['<@U0AMP>', 'A&amp;B'],
      ['<@U0GONE> さん、こんにちは', 'さん、こんにちは'],
      ['<@U0BLANK> さん', 'さん'],
      ['<@U0REP> と <@U0REP>', '佐藤 と 佐藤'],
    ])('%j becomes %j', (input, expected) => {
      expect(slackMarkupToPlain(input, nameOf)).toBe(expected);
    });

    it('never lets a Slack id through, named or not', () => {
      const text = '<@U0REP> <@U0GONE> <@U0BLANK> <#C0TEAM> <!subteam^S0TEAM|@sales> <!channel>';
      expect(slackMarkupToPlain(text, nameOf)).not.toMatch(/[UCS]0[A-Z]+|@channel|@sales/);
    });
  });

  it.each([
    ['hi <!here> there', 'hi there'],
    ['hi <!here>  <!channel> there', 'hi there'],
    ['hi  <!here> there', 'hi  there'],
    ['hi,<!here> there', 'hi, there'],
    ['こんにちは<!here>です', 'こんにちはです'],
    ['こんにちは\u3000<!here>\u3000です', 'こんにちは\u3000です'],
    ['<!here> みなさん', 'みなさん'],
    ['  <!here> みなさん', 'みなさん'],
    ['みなさん <!here>', 'みなさん'],
    ['一行目 <!here>\n二行目', '一行目\n二行目'],
    ['一行目\n<!here> 二行目', '一行目\n二行目'],
    ['<!here>\nお世話になっております', 'お世話になっております'],
    ['お世話になっております\n<!here>', 'お世話になっております'],
    ['上\n<!here> <!channel>\n下', '上\n下'],
    ['上\n<!here>\n<!channel>\n下', '上\n下'],
    ['上\n\n<!here>\n\n下', '上\n\n\n下'],
    ['<!here>', ''],
    ['<!here> <!channel>', ''],
  ])('closes the gap a dropped token leaves in %j', (input, expected) => {
    expect(slackMarkupToPlain(input)).toBe(expected);
  });

  it.each([
    ['a  b <!here> c\td', 'a  b c\td'],
    ['  indented\n<!here> x\n\n  spaced  out  ', '  indented\nx\n\n  spaced  out  '],
    ['<https://example.com|資料>  を <!here> 見て', '資料  を 見て'],
  ])('leaves whitespace away from a dropped token as typed: %j', (input, expected) => {
    expect(slackMarkupToPlain(input)).toBe(expected);
  });

  it('drops mentions from any generated message and leaves the rest as typed', () => {
    const random = prng(0x51ac);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
    const nameOf = (id: string) => (id === 'U0REP' ? '佐藤' : undefined);
    const words = [
      'こんにちは',
      '追客',
      '👋🏻',
      '𠮷',
      'a',
      '&',
      '<',
      '>',
      '|',
      '@',
      '#',
      '!',
      '&amp;',
      'x&lt;y',
    ];
    const kept: Array<[string, string]> = [
      ['<@U0REP>', '佐藤'],
      ['<#C0TEAM|general>', '#general'],
      ['<https://example.com|資料>', '資料'],
      ['<!date^1392734382^{date_short}|2月18日>', '2月18日'],
    ];
    const dropped = [
      '<!channel>',
      '<!here>',
      '<!everyone>',
      '<!subteam^S0TEAM|@sales>',
      '<@U0GONE>',
      '<#C0TEAM>',
    ];
    for (let i = 0; i < 1000; i++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        Array.from({ length: Math.floor(random() * 6) }, () => {
          const roll = random();
          if (roll < 0.4) return { markup: pick(dropped), plain: null };
          if (roll < 0.6) {
            const [markup, plain] = pick(kept);
            return { markup, plain };
          }
          const word = pick(words);
          return { markup: escapeSlackText(word), plain: word };
        }),
      );
      const text = lines.map((items) => items.map((item) => item.markup).join(' ')).join('\n');
      const expected = lines
        .filter((items) => items.length === 0 || items.some((item) => item.plain !== null))
        .map((items) => items.flatMap((item) => (item.plain === null ? [] : [item.plain])).join(' '))
        .join('\n');
      expect(slackMarkupToPlain(text, nameOf), text).toBe(expected);
    }
  });

  it.each([
    '',
    'こんにちは',
    'プランA、プランBのどちらがよろしいでしょうか？',
    '👋🏻 𠮷',
    'no markup at all | @ ! # ^',
    '  spaces  as typed  \n\n\tand tabs\t',
  ])('leaves plain text without markup or entities unchanged: %j', (text) => {
    expect(slackMarkupToPlain(text)).toBe(text);
  });
});

describe('slackUserMentions', () => {
  it.each([
    ['', []],
    ['no mentions <!here> <#C1|x> <https://example.com>', []],
    ['<@U1> と <@U2|suzuki> と <@U1>', ['U1', 'U2']],
    ['&lt;@U9&gt; typed literally', []],
  ])('finds the people %j mentions', (text, ids) => {
    expect(slackUserMentions(text)).toEqual(ids);
  });
});

describe('escapeSlackText and slackMarkupToPlain together', () => {
  it.each([
    '',
    '&',
    '<',
    '>',
    '&amp;',
    '&lt;',
    '&gt;',
    '&amp;lt;',
    '&&lt;;',
    '<&>',
    '<!channel>',
    '<!here> みなさん',
    '<@U123|sato>',
    '<https://evil.example|bank>',
    'AT&T <sales@example.com>',
    '見積もり <税込> & 送料',
    '👋🏻 𠮷野家 🍎',
  ])('round-trips %j unchanged', (text) => {
    expect(slackMarkupToPlain(escapeSlackText(text))).toBe(text);
  });

  it('round-trips any generated text, including Japanese, emoji and lone surrogates', () => {
    const random = prng(20240601);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(random, 24);
      expect(slackMarkupToPlain(escapeSlackText(text))).toBe(text);
    }
  });
});

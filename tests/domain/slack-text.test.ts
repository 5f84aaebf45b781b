import { describe, expect, it } from 'vitest';
import { escapeSlackText, slackMarkupToPlain } from '../../src/domain/slack-text.ts';
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
    ['<mailto:a@b.jp|a@b.jp>', 'a@b.jp'],
    ['<mailto:a@b.jp>', 'a@b.jp'],
    ['<@U123|sato>', '@sato'],
    ['<@U123>', '@U123'],
    ['<#C123|general>', '#general'],
    ['<#C123>', '#C123'],
    ['<!here>', '@here'],
    ['<!channel>', '@channel'],
    ['<!everyone>', '@everyone'],
    ['<!subteam^S123|@sales>', '@sales'],
    ['<!subteam^S123>', '@subteam'],
    ['<!date^1392734382^{date_short}|Feb 18, 2014>', 'Feb 18, 2014'],
    ['&lt;&gt;&amp;', '<>&'],
    ['a &lt; b &amp;&amp; c &gt; d', 'a < b && c > d'],
    ['&amp;lt;', '&lt;'],
    ['&amp;amp;', '&amp;'],
  ])('turns %j back into what the person typed', (input, expected) => {
    expect(slackMarkupToPlain(input)).toBe(expected);
  });

  it('unwraps several pieces of markup in one message', () => {
    expect(
      slackMarkupToPlain(
        '<@U1|sato> さん、<https://example.com|資料> を <#C9|sales> に置きました &amp; 確認を',
      ),
    ).toBe('@sato さん、資料 を #sales に置きました & 確認を');
  });

  it('asks userName for a mention without a label and uses the answer', () => {
    const names: Record<string, string> = { U123: '佐藤' };
    const userName = (id: string) => names[id];
    expect(slackMarkupToPlain('<@U123> です', userName)).toBe('@佐藤 です');
    expect(slackMarkupToPlain('<@U999> です', userName)).toBe('@U999 です');
  });

  it('prefers the label Slack sent over userName', () => {
    expect(slackMarkupToPlain('<@U123|sato>', () => '佐藤')).toBe('@sato');
  });

  it.each([
    '',
    'こんにちは',
    'プランA、プランBのどちらがよろしいでしょうか？',
    '👋🏻 𠮷',
    'no markup at all | @ ! # ^',
  ])('leaves plain text without markup or entities unchanged: %j', (text) => {
    expect(slackMarkupToPlain(text)).toBe(text);
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

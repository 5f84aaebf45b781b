import { describe, expect, it } from 'vitest';
import { typedSlackText } from '../../../adapters/sandbox/typed-slack-text.ts';
import { slackMarkupToPlain } from '../../../src/domain/slack-text.ts';

const people = [
  { id: 'U0TANAKA01', name: '田中' },
  { id: 'U0TANAKA02', name: '田中 営業' },
  { id: 'U0ITO00001', name: '伊藤 経理' },
];

describe('typed text as Slack delivers it', () => {
  it('escapes &, < and > once, so what was typed literally survives the app’s unescaping', () => {
    const typed = '見学会<12/5>のご案内 A&B &amp; &lt;';
    const wire = typedSlackText(typed, people, 'message');
    expect(wire).toBe('見学会&lt;12/5&gt;のご案内 A&amp;B &amp;amp; &amp;lt;');
    expect(slackMarkupToPlain(wire)).toBe(typed);
  });

  it('turns @ and a full name into a mention, the longest name first; an event names the id only', () => {
    expect(typedSlackText('@田中 営業 さんと@田中さん', people, 'message')).toBe(
      '<@U0TANAKA02> さんと<@U0TANAKA01>さん',
    );
  });

  it('gives a slash command the id and the name, as should_escape does', () => {
    expect(typedSlackText('staff add @伊藤 経理 rep', people, 'command')).toBe(
      'staff add <@U0ITO00001|伊藤 経理> rep',
    );
    expect(typedSlackText('staff remove @u0ito00001', people, 'command')).toBe(
      'staff remove <@U0ITO00001|伊藤 経理>',
    );
  });

  it('leaves an unknown @name, an address and a partial name as text', () => {
    expect(typedSlackText('@山本 と mail@田中', people, 'message')).toBe('@山本 と mail@田中');
  });

  it('makes @channel, @here and @everyone special mentions', () => {
    expect(typedSlackText('@channel @here @everyone', people, 'message')).toBe(
      '<!channel> <!here> <!everyone>',
    );
  });

  it('wraps links, escaped inside, without the punctuation that ends a sentence', () => {
    expect(typedSlackText('詳細は https://example.com/a?b=1&c=2. どうぞ', people, 'message')).toBe(
      '詳細は <https://example.com/a?b=1&amp;c=2>. どうぞ',
    );
  });
});

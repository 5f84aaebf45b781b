import { describe, expect, it } from 'vitest';
import { commandWords, splitSubcommand } from '../../src/domain/command-words.ts';

describe('splitSubcommand', () => {
  it.each<[string, { word: string; args: string }]>([
    ['', { word: '', args: '' }],
    ['   ', { word: '', args: '' }],
    ['help', { word: 'help', args: '' }],
    ['ヘルプ', { word: 'ヘルプ', args: '' }],
    ['  help  me ', { word: 'help', args: 'me' }],
    ['hello', { word: 'hello', args: '' }],
    ['list', { word: 'list', args: '' }],
    ['Staff list', { word: 'Staff', args: 'list' }],
    ['スタッフ 一覧', { word: 'スタッフ', args: '一覧' }],
    ['add U123 rep', { word: 'add', args: 'U123 rep' }],
    ['lead', { word: 'lead', args: '' }],
    ['lead  山田  花子 ', { word: 'lead', args: '山田  花子' }],
    ['staff add <@U123|Sato Taro> rep', { word: 'staff', args: 'add <@U123|Sato Taro> rep' }],
    ['staff\u3000add\u3000U123', { word: 'staff', args: 'add\u3000U123' }],
    ['<@U123|Sato Taro> hi', { word: '<@U123|Sato Taro>', args: 'hi' }],
    ['lead<@U123>', { word: 'lead<@U123>', args: '' }],
  ])('splits %j', (text, expected) => {
    expect(splitSubcommand(text)).toEqual(expected);
  });
});

describe('commandWords', () => {
  it('keeps a mention with spaces in its name as one word, and an unclosed < as part of a word', () => {
    expect(commandWords(' add <@U1|Sato Taro>\trep ')).toEqual(['add', '<@U1|Sato Taro>', 'rep']);
    expect(commandWords('a <b c')).toEqual(['a', '<b', 'c']);
    expect(commandWords('\u3000\n')).toEqual([]);
  });
});

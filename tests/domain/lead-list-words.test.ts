import { describe, expect, it } from 'vitest';
import { type LeadListWords, parseLeadListArgs } from '../../src/domain/lead-list-words.ts';
import { catalog } from '../../src/messages.ts';

const ja = catalog('ja');
const words: LeadListWords = {
  segments: ja.followUp.segments,
  stages: ja.followUp.stages,
  awaiting: ja.leads.awaiting,
  neglected: ja.leads.neglected,
};
const none = { ownerId: null, segment: null, stage: null, awaiting: false, neglected: false };

describe('parseLeadListArgs', () => {
  it.each<[string, object]>([
    ['', {}],
    ['<@U0SATO0001|佐藤 太郎> 返信待ち', { ownerId: 'U0SATO0001', awaiting: true }],
    ['返信待ち @U0SATO0001', { ownerId: 'U0SATO0001', awaiting: true }],
    ['1ヶ月以内', { segment: 'within_1m' }],
    ['1ケ月以内', { segment: 'within_1m' }],
    ['１か月以内', { segment: 'within_1m' }],
    ['WITHIN_3M 放置', { segment: 'within_3m', neglected: true }],
    ['半年以内\u3000長期フォロー', { segment: 'within_6m', stage: 'nurture' }],
    ['won', { stage: 'won' }],
    ['失注 awaiting neglected', { stage: 'lost', awaiting: true, neglected: true }],
    ['放置 放置', { neglected: true }],
  ])('reads %j', (args, filter) => {
    expect(parseLeadListArgs(args, words)).toEqual({ kind: 'filter', filter: { ...none, ...filter } });
  });

  it('names the word it cannot read, and a second owner, timing or stage', () => {
    expect(parseLeadListArgs('返信待ち 急ぎ', words)).toEqual({
      kind: 'invalid',
      word: '急ぎ',
      problem: 'unknown',
    });
    expect(parseLeadListArgs('@佐藤', words)).toEqual({ kind: 'invalid', word: '@佐藤', problem: 'unknown' });
    expect(parseLeadListArgs('U0A00001 U0B00002', words)).toEqual({
      kind: 'invalid',
      word: 'U0B00002',
      problem: 'repeated',
    });
    expect(parseLeadListArgs('1年以内 未定', words)).toEqual({
      kind: 'invalid',
      word: '未定',
      problem: 'repeated',
    });
    expect(parseLeadListArgs('追客中 open', words)).toEqual({
      kind: 'invalid',
      word: 'open',
      problem: 'repeated',
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { InboundContent } from '../../src/domain/inbound-content.ts';
import { plainTextOf } from '../../src/domain/inbound-content.ts';

describe('plainTextOf', () => {
  it.each<[string, InboundContent, string | null]>([
    ['a text message keeps its text', { kind: 'text', text: '資料をお願いします' }, '資料をお願いします'],
    ['an empty text message stays empty', { kind: 'text', text: '' }, ''],
    ['a text message keeps line breaks', { kind: 'text', text: 'a\nb' }, 'a\nb'],
    [
      'a file is searchable by its name',
      { kind: 'file', fileName: '見積書.pdf', fileSize: 1234 },
      '見積書.pdf',
    ],
    [
      'a file without a size still gives its name',
      { kind: 'file', fileName: 'a.txt', fileSize: null },
      'a.txt',
    ],
    [
      'a location gives its title and address',
      {
        kind: 'location',
        title: '東京駅',
        address: '東京都千代田区丸の内1丁目',
        latitude: 35.68,
        longitude: 139.76,
      },
      '東京駅 東京都千代田区丸の内1丁目',
    ],
    [
      'a location without a title gives its address',
      { kind: 'location', title: null, address: '大阪府大阪市', latitude: 34.7, longitude: 135.5 },
      '大阪府大阪市',
    ],
    [
      'a location without an address gives its title',
      { kind: 'location', title: '梅田', address: null, latitude: 34.7, longitude: 135.5 },
      '梅田',
    ],
    [
      'a location with an empty title gives its address alone',
      { kind: 'location', title: '', address: '札幌市', latitude: 43, longitude: 141 },
      '札幌市',
    ],
    [
      'a bare location has no text',
      { kind: 'location', title: null, address: null, latitude: 0, longitude: 0 },
      null,
    ],
    [
      'a sticker gives its keywords',
      { kind: 'sticker', packageId: '446', stickerId: '1988', keywords: ['ありがとう', 'thanks'] },
      'ありがとう thanks',
    ],
    [
      'a sticker without keywords has no text',
      { kind: 'sticker', packageId: '446', stickerId: '1988', keywords: [] },
      null,
    ],
    ['an image has no text', { kind: 'image' }, null],
    ['a video has no text', { kind: 'video', durationMs: 12_000 }, null],
    ['a video of unknown length has no text', { kind: 'video', durationMs: null }, null],
    ['an audio message has no text', { kind: 'audio', durationMs: 3000 }, null],
    ['an unsupported message has no text', { kind: 'unsupported', type: 'poll' }, null],
  ])('%s', (_label, content, expected) => {
    expect(plainTextOf(content)).toBe(expected);
  });
});

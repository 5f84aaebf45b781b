import { describe, expect, it } from 'vitest';
import { checkSequencesFile, problemLine } from '../../../src/domain/sequences/check-sequences-file.ts';

/** A file whose only step sends `messages` (a JSON array, which YAML reads as a flow sequence). */
function errorsFor(messages: unknown[]): string[] {
  const text = `sequences:\n  - id: a\n    name: n\n    trigger: manual\n    steps:\n      - after: 1d\n        messages: ${JSON.stringify(messages)}\n`;
  return checkSequencesFile(text).errors.map((error) => problemLine('f.yml', error));
}

const text = (t: string, extra: object = {}) => ({ type: 'text', text: t, ...extra });
const postback = (label: string, data = 'timing=within_3m') => ({
  type: 'action',
  action: { type: 'postback', label, data },
});

describe('LINE message objects in a step', () => {
  it('accepts text, image, sticker, template and flex messages', () => {
    expect(
      errorsFor([
        text('こんにちは'),
        {
          type: 'image',
          originalContentUrl: 'https://example.com/a.jpg',
          previewImageUrl: 'https://example.com/a-s.jpg',
        },
        { type: 'sticker', packageId: '446', stickerId: '1988' },
        {
          type: 'template',
          altText: '見学会のご案内',
          template: {
            type: 'buttons',
            text: '見学会のご案内です',
            actions: [{ type: 'uri', label: '詳しく見る', uri: 'https://example.com' }],
          },
        },
        {
          type: 'flex',
          altText: '施工事例',
          contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: [] } },
        },
      ]),
    ).toEqual([]);
  });

  it('allows 5000 characters of text and no more', () => {
    expect(errorsFor([text('あ'.repeat(5000))])).toEqual([]);
    expect(errorsFor([text('あ'.repeat(5001))])).toEqual([
      expect.stringMatching(
        /^f\.yml:7:\d+: sequences\[0\]\.steps\[0\]\.messages\[0\]\.text: Too big: expected string to have <=5000 characters$/,
      ),
    ]);
  });

  it('takes 1 to 5 messages per step', () => {
    expect(errorsFor([])).toEqual(['f.yml:7:19: sequences[0].steps[0].messages: has 1 to 5 messages']);
    expect(errorsFor(Array.from({ length: 6 }, () => text('x')))).toEqual([
      'f.yml:7:19: sequences[0].steps[0].messages: has 1 to 5 messages',
    ]);
  });

  it('allows 13 quick replies and no more, on the last message only', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => postback(`答え${i}`));
    expect(errorsFor([text('x', { quickReply: { items: items(13) } })])).toEqual([]);
    expect(errorsFor([text('x', { quickReply: { items: items(14) } })])).toEqual([
      expect.stringMatching(/messages\[0\]\.quickReply\.items: Too big: expected array to have <=13 items$/),
    ]);
    expect(errorsFor([text('x', { quickReply: { items: items(1) } }), text('y')])).toEqual([
      expect.stringMatching(
        /messages\[0\]\.quickReply: quick replies are allowed on the last message of a step only$/,
      ),
    ]);
  });

  it('rejects a quick-reply label over 20 characters and a questionnaire postback for no segment', () => {
    expect(errorsFor([text('x', { quickReply: { items: [postback('あ'.repeat(21))] } })])).toEqual([
      expect.stringMatching(
        /quickReply\.items\[0\]\.action\.label: Too big: expected string to have <=20 characters$/,
      ),
    ]);
    expect(
      errorsFor([text('x', { quickReply: { items: [postback('そのうち', 'timing=someday')] } })]),
    ).toEqual([
      expect.stringMatching(/quickReply\.items\[0\]\.action\.data: timing=someday is not a segment/),
    ]);
  });

  it('rejects an unknown type, an http image, a number as sticker id and an unknown field', () => {
    expect(errorsFor([{ type: 'video' }])).toEqual([
      expect.stringMatching(/messages\[0\]\.type: type must be text, image, sticker, template or flex$/),
    ]);
    expect(
      errorsFor([
        {
          type: 'image',
          originalContentUrl: 'http://example.com/a.jpg',
          previewImageUrl: 'https://example.com/a.jpg',
        },
      ]),
    ).toEqual([expect.stringMatching(/messages\[0\]\.originalContentUrl: must be an https:\/\/ URL$/)]);
    expect(errorsFor([{ type: 'sticker', packageId: 446, stickerId: '1988' }])).toEqual([
      expect.stringMatching(/messages\[0\]\.packageId: must be a sticker package id in quotes/),
    ]);
    expect(errorsFor([text('x', { txt: 'y' })])).toEqual([
      expect.stringMatching(/messages\[0\]\.txt: unknown key$/),
    ]);
  });

  it('keeps template limits: 400 characters of alt text, 4 buttons, 60 characters of text with a title', () => {
    const buttons = (extra: object) => ({
      type: 'template',
      altText: 'a',
      template: {
        type: 'buttons',
        text: 'x',
        actions: [{ type: 'message', label: 'はい', text: 'はい' }],
        ...extra,
      },
    });
    expect(errorsFor([{ ...buttons({}), altText: 'a'.repeat(401) }])).toEqual([
      expect.stringMatching(/altText: Too big/),
    ]);
    const five = Array.from({ length: 5 }, () => ({ type: 'message', label: 'はい', text: 'はい' }));
    expect(errorsFor([buttons({ actions: five })])).toEqual([
      expect.stringMatching(/template\.actions: Too big/),
    ]);
    expect(errorsFor([buttons({ title: '見学会', text: 'あ'.repeat(61) })])).toEqual([
      expect.stringMatching(
        /template\.text: must be at most 60 characters when the template has an image or a title$/,
      ),
    ]);
  });

  it('rejects variables in URLs and postback data', () => {
    expect(
      errorsFor([
        {
          type: 'image',
          originalContentUrl: 'https://example.com/{name}.jpg',
          previewImageUrl: 'https://example.com/a.jpg',
        },
      ]),
    ).toEqual([
      expect.stringMatching(/originalContentUrl: variables are not allowed in originalContentUrl: \{name\}$/),
    ]);
  });
});

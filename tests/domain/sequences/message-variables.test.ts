import { describe, expect, it } from 'vitest';
import type { LineMessage } from '../../../src/domain/sequences/line-message-schema.ts';
import { renderMessages } from '../../../src/domain/sequences/message-variables.ts';

const values = { name: '山田 太郎', owner: '田中', company: '山田工務店' };

describe('renderMessages', () => {
  it('fills {name}, {owner} and {company} in every readable string', () => {
    const messages: LineMessage[] = [
      { type: 'text', text: '{name}様、{company}の{owner}です。' },
      {
        type: 'template',
        altText: '{company}からのお知らせ',
        template: {
          type: 'confirm',
          text: '{name}様',
          actions: [
            { type: 'message', label: 'はい', text: '{owner}さんに相談' },
            { type: 'postback', label: 'いいえ', data: 'x={name}' },
          ],
        },
      },
    ];
    expect(renderMessages(messages, values)).toEqual([
      { type: 'text', text: '山田 太郎様、山田工務店の田中です。' },
      {
        type: 'template',
        altText: '山田工務店からのお知らせ',
        template: {
          type: 'confirm',
          text: '山田 太郎様',
          actions: [
            { type: 'message', label: 'はい', text: '田中さんに相談' },
            { type: 'postback', label: 'いいえ', data: 'x={name}' },
          ],
        },
      },
    ]);
  });

  it('falls back to お客様 without doubling 様, and to 担当者 and 私たち', () => {
    const [message] = renderMessages([{ type: 'text', text: '{name}様、{name}、{company}の{owner}様' }], {
      name: null,
      owner: '  ',
      company: null,
    });
    expect(message).toEqual({ type: 'text', text: 'お客様、お客様、私たちの担当者様' });
  });

  it('leaves the templates untouched', () => {
    const templates: LineMessage[] = [{ type: 'text', text: '{name}様' }];
    renderMessages(templates, values);
    expect(templates).toEqual([{ type: 'text', text: '{name}様' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { splitSubcommand } from '../../src/domain/command-words.ts';
import type { StaffCommand } from '../../src/domain/staff-command.ts';
import { parseStaffCommand, parseUserRef } from '../../src/domain/staff-command.ts';
import { prng } from '../support/seeded-random.ts';

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomUserId(random: () => number): string {
  let id = pick(random, ['U', 'W']);
  const length = 2 + Math.floor(random() * 12);
  for (let i = 0; i < length; i++) id += pick(random, [...ID_CHARS]);
  return id;
}

describe('parseUserRef', () => {
  it.each([
    ['<@U123|sato>', { userId: 'U123', nameHint: 'sato' }],
    ['<@U123|佐藤>', { userId: 'U123', nameHint: '佐藤' }],
    ['<@U123| sato >', { userId: 'U123', nameHint: 'sato' }],
    ['<@U123|>', { userId: 'U123', nameHint: null }],
    ['<@U123>', { userId: 'U123', nameHint: null }],
    ['<@W0ENTERPRISE>', { userId: 'W0ENTERPRISE', nameHint: null }],
    ['U123', { userId: 'U123', nameHint: null }],
    ['@U123', { userId: 'U123', nameHint: null }],
    ['U012ABCDEF', { userId: 'U012ABCDEF', nameHint: null }],
    ['W012ABCDEF', { userId: 'W012ABCDEF', nameHint: null }],
    ['  U123  ', { userId: 'U123', nameHint: null }],
  ])('reads %j as a Slack user', (token, expected) => {
    expect(parseUserRef(token)).toEqual(expected);
  });

  it.each([
    '',
    'sato',
    '@sato',
    'u123',
    'U1',
    '<@u123>',
    '<@U123',
    'U123>',
    '<#C123|general>',
    'C0123ABCD',
    '<!here>',
    '<@U123|sa>to>',
    'U123 extra',
    'U-123',
  ])('rejects %j as not a Slack user', (token) => {
    expect(parseUserRef(token)).toBeNull();
  });

  it('reads every generated user ID in all three forms Slack may send', () => {
    const random = prng(7);
    for (let i = 0; i < 300; i++) {
      const userId = randomUserId(random);
      expect(parseUserRef(userId)).toEqual({ userId, nameHint: null });
      expect(parseUserRef(`<@${userId}>`)).toEqual({ userId, nameHint: null });
      expect(parseUserRef(`<@${userId}|name${i}>`)).toEqual({ userId, nameHint: `name${i}` });
    }
  });
});

/** `/tsuikyaku <text>` as the staff subcommand reads it: the router hands over the text after `staff`. */
function parseStaffText(text: string): StaffCommand {
  const { word, args } = splitSubcommand(text);
  expect(word).toBe('staff');
  return parseStaffCommand(args);
}

describe('parseStaffCommand', () => {
  // Which subcommand a first word picks (help, unknown words) is the router's: see command-words.test.ts.
  const cases: Array<[string, StaffCommand]> = [
    // list
    ['staff list', { kind: 'staff_list' }],
    ['staff list everything', { kind: 'staff_list' }],
    // add
    ['staff add <@U123|sato> rep', { kind: 'staff_add', userId: 'U123', nameHint: 'sato', role: 'rep' }],
    ['staff add <@U123> rep', { kind: 'staff_add', userId: 'U123', nameHint: null, role: 'rep' }],
    ['staff add U123 rep', { kind: 'staff_add', userId: 'U123', nameHint: null, role: 'rep' }],
    ['staff add @U123 rep', { kind: 'staff_add', userId: 'U123', nameHint: null, role: 'rep' }],
    [
      'staff add <@U123|sato> manager',
      { kind: 'staff_add', userId: 'U123', nameHint: 'sato', role: 'manager' },
    ],
    ['staff add U123 REP', { kind: 'staff_add', userId: 'U123', nameHint: null, role: 'rep' }],
    ['staff add U123 Manager', { kind: 'staff_add', userId: 'U123', nameHint: null, role: 'manager' }],
    ['staff add U123 営業', { kind: 'staff_add', userId: 'U123', nameHint: null, role: 'rep' }],
    ['staff add U123 担当', { kind: 'staff_add', userId: 'U123', nameHint: null, role: 'rep' }],
    ['staff add U123 マネージャー', { kind: 'staff_add', userId: 'U123', nameHint: null, role: 'manager' }],
    ['staff add U123 rep please', { kind: 'staff_add', userId: 'U123', nameHint: null, role: 'rep' }],
    ['staff add', { kind: 'invalid', usage: 'staff_add', problem: 'missing' }],
    ['staff add <@U123|sato>', { kind: 'invalid', usage: 'staff_add', problem: 'missing' }],
    ['staff add rep', { kind: 'invalid', usage: 'staff_add', problem: 'missing' }],
    ['staff add sato rep', { kind: 'invalid', usage: 'staff_add', problem: 'user' }],
    ['staff add <#C123|general> rep', { kind: 'invalid', usage: 'staff_add', problem: 'user' }],
    ['staff add rep U123', { kind: 'invalid', usage: 'staff_add', problem: 'user' }],
    ['staff add U123 boss', { kind: 'invalid', usage: 'staff_add', problem: 'role' }],
    ['staff add U123 admin', { kind: 'invalid', usage: 'staff_add', problem: 'role' }],
    ['staff add U123 toString', { kind: 'invalid', usage: 'staff_add', problem: 'role' }],
    // remove
    ['staff remove <@U123|sato>', { kind: 'staff_remove', userId: 'U123', to: null }],
    ['staff remove <@U123>', { kind: 'staff_remove', userId: 'U123', to: null }],
    ['staff remove U123', { kind: 'staff_remove', userId: 'U123', to: null }],
    ['staff remove <@U123|sato> to <@U456|ito>', { kind: 'staff_remove', userId: 'U123', to: 'U456' }],
    ['staff remove U123 TO U456', { kind: 'staff_remove', userId: 'U123', to: 'U456' }],
    ['staff remove U123 to', { kind: 'invalid', usage: 'staff_remove', problem: 'missing' }],
    ['staff remove U123 for U456', { kind: 'invalid', usage: 'staff_remove', problem: 'missing' }],
    ['staff remove U123 to U456 U789', { kind: 'invalid', usage: 'staff_remove', problem: 'missing' }],
    ['staff remove U123 to ito', { kind: 'invalid', usage: 'staff_remove', problem: 'user' }],
    ['staff remove', { kind: 'invalid', usage: 'staff_remove', problem: 'missing' }],
    ['staff remove sato', { kind: 'invalid', usage: 'staff_remove', problem: 'user' }],
    // staff without a known subcommand
    ['staff', { kind: 'invalid', usage: 'staff', problem: 'missing' }],
    ['staff delete U123', { kind: 'invalid', usage: 'staff', problem: 'missing' }],
    ['staff LIST', { kind: 'invalid', usage: 'staff', problem: 'missing' }],
  ];

  it.each(cases)('parses %j', (text, expected) => {
    expect(parseStaffText(text)).toEqual(expected);
  });

  it.each([
    ['  staff   add   <@U123|sato>   rep  ', 'runs of spaces'],
    ['\tstaff\tadd\t<@U123|sato>\trep\t', 'tabs'],
    ['staff\nadd\n<@U123|sato>\nrep\n', 'newlines'],
    ['staff\u3000add\u3000<@U123|sato>\u3000rep', 'full-width (ideographic) spaces'],
    ['staff \u00a0add <@U123|sato> rep', 'a no-break space'],
  ])('ignores extra whitespace: %j (%s)', (text) => {
    expect(parseStaffText(text)).toEqual({
      kind: 'staff_add',
      userId: 'U123',
      nameHint: 'sato',
      role: 'rep',
    });
  });

  it('parses every generated `staff add` with a valid user and role word', () => {
    const random = prng(42);
    const roleWords = [
      ['rep', 'rep'],
      ['REP', 'rep'],
      ['manager', 'manager'],
      ['MANAGER', 'manager'],
      ['営業', 'rep'],
      ['担当', 'rep'],
      ['マネージャー', 'manager'],
    ] as const;
    const spaces = [' ', '  ', '\t', '\u3000', ' \n '];
    for (let i = 0; i < 300; i++) {
      const userId = randomUserId(random);
      const [word, role] = pick(random, roleWords);
      const form = pick(random, ['bare', 'mention', 'labelled'] as const);
      const ref = form === 'bare' ? userId : form === 'mention' ? `<@${userId}>` : `<@${userId}|user${i}>`;
      const gap = () => pick(random, spaces);
      const text = `${gap()}staff${gap()}add${gap()}${ref}${gap()}${word}${gap()}`;
      expect(parseStaffText(text)).toEqual({
        kind: 'staff_add',
        userId,
        nameHint: form === 'labelled' ? `user${i}` : null,
        role,
      });
    }
  });

  it('never throws and only ever yields a rep or manager role, for generated word soup', () => {
    const random = prng(99);
    // Object.prototype names (constructor, __proto__) are left out here: see the known-bug test below.
    const vocabulary = [
      'staff',
      'add',
      'remove',
      'list',
      'help',
      'rep',
      'manager',
      '営業',
      'マネージャー',
      'U123',
      '<@U123|sato>',
      '<@W9>',
      'sato',
      '',
      '|',
      '<',
      '>',
      'ヘルプ',
    ];
    for (let i = 0; i < 1000; i++) {
      const count = Math.floor(random() * 6);
      const text = Array.from({ length: count }, () => pick(random, vocabulary)).join(' ');
      const command = parseStaffCommand(text);
      expect(['staff_list', 'staff_add', 'staff_remove', 'invalid']).toContain(command.kind);
      if (command.kind === 'staff_add') expect(['rep', 'manager']).toContain(command.role);
    }
  });

  // Known bug: the role table is a plain object, so names inherited from Object.prototype
  // pass the lookup and come back as the "role" (a function / an object).
  it.each(['constructor', '__proto__'])(
    'rejects %j as a role rather than returning an Object.prototype member',
    (word) => {
      expect(parseStaffText(`staff add U123 ${word}`)).toEqual({
        kind: 'invalid',
        usage: 'staff_add',
        problem: 'role',
      });
    },
  );
});

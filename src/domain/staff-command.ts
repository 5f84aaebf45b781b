import type { StaffRole } from './staff.ts';

export type StaffCommand =
  | { kind: 'help' }
  | { kind: 'staff_list' }
  | { kind: 'staff_add'; userId: string; nameHint: string | null; role: StaffRole }
  | { kind: 'staff_remove'; userId: string }
  | {
      kind: 'invalid';
      usage: 'staff_add' | 'staff_remove' | 'staff' | 'lead';
      problem: 'user' | 'role' | 'missing';
    }
  | { kind: 'today' }
  | { kind: 'lead_search'; query: string }
  | { kind: 'unknown'; word: string };

/** `<@U123|name>`, `<@U123>` or a bare `U123`, as Slack may send a mention in a slash command. */
const userRef = /^(?:<@([UW][A-Z0-9]+)(?:\|([^>]*))?>|@?([UW][A-Z0-9]{2,}))$/;

export function parseUserRef(token: string): { userId: string; nameHint: string | null } | null {
  const match = userRef.exec(token.trim());
  if (!match) return null;
  const userId = match[1] ?? match[3];
  if (!userId) return null;
  const nameHint = match[2]?.trim() || null;
  return { userId, nameHint };
}

const roles = new Map<string, StaffRole>(
  Object.entries({
    rep: 'rep',
    manager: 'manager',
    営業: 'rep',
    担当: 'rep',
    マネージャー: 'manager',
  }) as [string, StaffRole][],
);

/** Parses the text after the slash command, e.g. `staff add <@U123|sato> rep`. */
export function parseStaffCommand(text: string): StaffCommand {
  // A mention may carry a display name with spaces (<@U123|Sato Taro>), so it is one word.
  const words = text.trim().match(/<[^>]*>|\S+/g) ?? [];
  const [first, second, third, fourth] = words;
  if (first === undefined || first === 'help' || first === 'ヘルプ') return { kind: 'help' };
  if (first === 'today' || first === '今日') return { kind: 'today' };
  if (first === 'lead' || first === 'リード') {
    const query = text.trim().slice(first.length).trim();
    return query ? { kind: 'lead_search', query } : { kind: 'invalid', usage: 'lead', problem: 'missing' };
  }
  if (first !== 'staff') return { kind: 'unknown', word: first };
  switch (second) {
    case 'list':
      return { kind: 'staff_list' };
    case 'add': {
      if (third === undefined || fourth === undefined)
        return { kind: 'invalid', usage: 'staff_add', problem: 'missing' };
      const ref = parseUserRef(third);
      if (!ref) return { kind: 'invalid', usage: 'staff_add', problem: 'user' };
      const role = roles.get(fourth.toLowerCase());
      if (!role) return { kind: 'invalid', usage: 'staff_add', problem: 'role' };
      return { kind: 'staff_add', userId: ref.userId, nameHint: ref.nameHint, role };
    }
    case 'remove': {
      if (third === undefined) return { kind: 'invalid', usage: 'staff_remove', problem: 'missing' };
      const ref = parseUserRef(third);
      if (!ref) return { kind: 'invalid', usage: 'staff_remove', problem: 'user' };
      return { kind: 'staff_remove', userId: ref.userId };
    }
    default:
      return { kind: 'invalid', usage: 'staff', problem: 'missing' };
  }
}

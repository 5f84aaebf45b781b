import { commandWords } from './command-words.ts';
import type { StaffRole } from './staff.ts';

/** `/tsuikyaku staff …`: what the words after `staff` ask for. */
export type StaffCommand =
  | { kind: 'staff_list' }
  | { kind: 'staff_add'; userId: string; nameHint: string | null; role: StaffRole }
  /** `to`: one person who takes all the leaving person's active leads (else round-robin). */
  | { kind: 'staff_remove'; userId: string; to: string | null }
  | {
      kind: 'invalid';
      usage: 'staff_add' | 'staff_remove' | 'staff';
      problem: 'user' | 'role' | 'missing';
    };

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

/** Parses the text after `staff`, e.g. `add <@U123|sato> rep`. */
export function parseStaffCommand(args: string): StaffCommand {
  const [action, user, roleWord, target, ...rest] = commandWords(args);
  switch (action) {
    case 'list':
      return { kind: 'staff_list' };
    case 'add': {
      if (user === undefined || roleWord === undefined)
        return { kind: 'invalid', usage: 'staff_add', problem: 'missing' };
      const ref = parseUserRef(user);
      if (!ref) return { kind: 'invalid', usage: 'staff_add', problem: 'user' };
      const role = roles.get(roleWord.toLowerCase());
      if (!role) return { kind: 'invalid', usage: 'staff_add', problem: 'role' };
      return { kind: 'staff_add', userId: ref.userId, nameHint: ref.nameHint, role };
    }
    case 'remove': {
      if (user === undefined) return { kind: 'invalid', usage: 'staff_remove', problem: 'missing' };
      const ref = parseUserRef(user);
      if (!ref) return { kind: 'invalid', usage: 'staff_remove', problem: 'user' };
      // `remove @rep to @other`: the word after the user must be `to`, followed by one user.
      if (roleWord === undefined) return { kind: 'staff_remove', userId: ref.userId, to: null };
      if (roleWord.toLowerCase() !== 'to' || target === undefined || rest.length > 0)
        return { kind: 'invalid', usage: 'staff_remove', problem: 'missing' };
      const to = parseUserRef(target);
      if (!to) return { kind: 'invalid', usage: 'staff_remove', problem: 'user' };
      return { kind: 'staff_remove', userId: ref.userId, to: to.userId };
    }
    default:
      return { kind: 'invalid', usage: 'staff', problem: 'missing' };
  }
}

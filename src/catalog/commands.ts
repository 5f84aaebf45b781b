import { plural } from './english.ts';

/** The slash command: help, staff management, today, lead search. */
export const commandsJa = {
  command: {
    help: (cmd: string) =>
      [
        '*追客ボットの使い方*',
        `• \`${cmd} today\` 今日の追客リスト`,
        `• \`${cmd} lead 名前の一部\` リードを探してカードを表示`,
        `• \`${cmd} leads [@担当者] [検討時期] [段階] [返信待ち] [放置]\` リードの一覧（マネージャーは全員分）`,
        `• \`${cmd} sequences [ID]\` ステップ配信の一覧と件数、IDを付けると各ステップの内容`,
        `• \`${cmd} stats [期間] [@担当者]\` 初回返信・追客活動・パイプライン・ステップ配信の数字とグラフ（営業は自分の分、期間の既定は今週）`,
        `• \`${cmd} export leads|touches|messages [期間]\` リード・接触履歴・メッセージをCSVでDMに送る（マネージャーのみ、期間の既定は今週）`,
        `• \`${cmd} staff list\` スタッフ一覧`,
        `• \`${cmd} staff add @ユーザー 営業|マネージャー\` スタッフを登録（マネージャーのみ）`,
        `• \`${cmd} staff remove @ユーザー [to @引き継ぎ先]\` スタッフを削除し、担当リードを引き継ぎ（マネージャーのみ）`,
        `• \`${cmd} lead erase 名前の一部\` ご本人の求めでリードの個人情報を削除（マネージャーのみ）`,
        `• \`${cmd} help\` このヘルプ`,
        'リードのメッセージは担当者とのDMにスレッドで届きます。スレッドに返信するとLINEで送信されます。',
      ].join('\n'),
    managersOnly: 'このコマンドはマネージャーのみ実行できます。変更はしていません。',
    unknown: (word: string, cmd: string) =>
      `「${word}」というコマンドはありません。\`${cmd} help\` で使い方を確認できます。`,
    usageAdd: (cmd: string) => `使い方: \`${cmd} staff add @ユーザー 営業|マネージャー\``,
    usageRemove: (cmd: string) => `使い方: \`${cmd} staff remove @ユーザー [to @引き継ぎ先]\``,
    usageStaff: (cmd: string) => `使い方: \`${cmd} staff list|add|remove\``,
    usageLead: (cmd: string) => `使い方: \`${cmd} lead 名前の一部\``,
    leadNone: (query: string) => `「${query}」に一致するリードは見つかりませんでした。`,
    leadNoneOwn: (query: string) =>
      `「${query}」に一致するリードは見つかりませんでした（表示されるのは担当しているリードだけです）。`,
    leadMore: (shown: number) =>
      `一致するリードが多いため、最初の${shown}件を表示しています。名前をもう少し詳しく指定してください。`,
    notStaffSelf: 'スタッフとして登録されていません。マネージャーに登録を依頼してください。',
    badUser: 'ユーザーは @メンションか、Uで始まるユーザーIDで指定してください。',
    badRole: '役割は「営業」か「マネージャー」で指定してください。',
    added: (user: string, role: string) => `${user} を${role}として登録しました。`,
    removed: (user: string, moved: number) =>
      moved > 0 ? `${user} を削除し、担当リード${moved}件を引き継ぎました。` : `${user} を削除しました。`,
    removedTo: (user: string, moved: number, to: string) =>
      moved > 0
        ? `${user} を削除し、担当リード${moved}件を${to} に引き継ぎました。`
        : `${user} を削除しました。引き継ぐ担当リードはありませんでした。`,
    successorNotRep: (to: string) =>
      `${to} は営業として登録されていないため、引き継ぎ先にできません。変更はしていません。`,
    successorSame: '削除する人と同じ人は引き継ぎ先にできません。変更はしていません。',
    notStaff: (user: string) => `${user} はスタッフとして登録されていません。`,
    listTitle: 'スタッフ一覧',
    listEmpty: 'スタッフはまだ登録されていません。',
    roles: { rep: '営業', manager: 'マネージャー' },
  },
};

export const commandsEn: typeof commandsJa = {
  command: {
    help: (cmd) =>
      [
        '*How to use the tsuikyaku bot*',
        `• \`${cmd} today\` today's follow-up list`,
        `• \`${cmd} lead part-of-name\` find leads and show their cards`,
        `• \`${cmd} leads [@owner] [timing] [stage] [awaiting] [neglected]\` list leads (managers see everyone's)`,
        `• \`${cmd} sequences [ID]\` step sequences with their counts; with an ID, each step's messages`,
        `• \`${cmd} stats [period] [@rep]\` first response, follow-up activity, pipeline and step sequences with charts (reps see their own; this week by default)`,
        `• \`${cmd} export leads|touches|messages [period]\` a CSV of leads, touches or messages in your DM (managers only; this week by default)`,
        `• \`${cmd} staff list\` list staff`,
        `• \`${cmd} staff add @user rep|manager\` register staff (managers only)`,
        `• \`${cmd} staff remove @user [to @successor]\` remove staff and hand over their leads (managers only)`,
        `• \`${cmd} lead erase part-of-name\` erase a lead's personal data at their request (managers only)`,
        `• \`${cmd} help\` this help`,
        'Lead messages arrive in a thread in your DM with the bot. Reply in the thread to answer on LINE.',
      ].join('\n'),
    managersOnly: 'Only managers can run this command. Nothing was changed.',
    unknown: (word, cmd) => `There is no command "${word}". See \`${cmd} help\`.`,
    usageAdd: (cmd) => `Usage: \`${cmd} staff add @user rep|manager\``,
    usageRemove: (cmd) => `Usage: \`${cmd} staff remove @user [to @successor]\``,
    usageStaff: (cmd) => `Usage: \`${cmd} staff list|add|remove\``,
    usageLead: (cmd) => `Usage: \`${cmd} lead part-of-name\``,
    leadNone: (query) => `No lead matches "${query}".`,
    leadNoneOwn: (query) => `None of your leads matches "${query}" (only the leads you own are shown).`,
    leadMore: (shown) => `Many leads match; showing the first ${shown}. Narrow the name down.`,
    notStaffSelf: 'You are not registered as staff. Ask a manager to add you.',
    badUser: 'Name the user with an @mention or a user ID starting with U.',
    badRole: 'The role must be rep or manager.',
    added: (user, role) => `Registered ${user} as ${role}.`,
    removed: (user, moved) =>
      moved > 0 ? `Removed ${user} and handed over ${plural(moved, 'lead')}.` : `Removed ${user}.`,
    removedTo: (user, moved, to) =>
      moved > 0
        ? `Removed ${user} and handed ${plural(moved, 'lead')} over to ${to}.`
        : `Removed ${user}. There were no leads to hand over.`,
    successorNotRep: (to) =>
      `${to} is not registered as a rep, so cannot take the leads. Nothing was changed.`,
    successorSame: 'The person removed cannot take their own leads. Nothing was changed.',
    notStaff: (user) => `${user} is not registered as staff.`,
    listTitle: 'Staff',
    listEmpty: 'No staff registered yet.',
    roles: { rep: 'rep', manager: 'manager' },
  },
};

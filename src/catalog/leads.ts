/** The lead list (`/tsuikyaku leads`) and the team section of a manager's digest and `today`. */

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const leadsJa = {
  leads: {
    title: 'リード一覧',
    separator: ' ・ ',
    owner: '担当',
    everyone: '全員',
    stagesByDefault: '追客中・長期フォロー・既存顧客',
    awaiting: '返信待ち',
    neglected: '放置',
    awaitingFor: (wait: string) => `返信待ち（${wait}）`,
    minutes: (n: number) => `${n}分`,
    hours: (h: number, m: number) => `${h}時間${m > 0 ? `${m}分` : ''}`,
    days: (n: number) => `${n}日`,
    neglectedFor: (days: number) => `放置（${days}日間接触なし）`,
    open: 'カードを開く',
    previous: '前へ',
    next: '次へ',
    page: (from: number, to: number, total: number) => `全${total}件中 ${from}〜${to}件目`,
    total: (n: number) => `全${n}件`,
    empty: '条件に合うリードはありません。',
    othersLeads: (cmd: string) =>
      `ほかの担当者のリードは表示できません。自分の担当リードは \`${cmd} leads\` で表示できます。`,
    unknownWord: (word: string) => `「${word}」は条件として使えません。`,
    repeatedWord: (word: string) => `「${word}」: 担当者、検討時期、段階はそれぞれ1つまで指定できます。`,
    usage: (cmd: string, segments: string, stages: string) =>
      [
        `使い方: \`${cmd} leads [@担当者] [検討時期] [段階] [返信待ち] [放置]\``,
        `検討時期: ${segments}`,
        `段階: ${stages}`,
        `例: \`${cmd} leads @担当者 返信待ち\``,
      ].join('\n'),
  },
  team: {
    title: 'チームの状況',
    totals: (awaiting: number, neglected: number) => `返信待ち ${awaiting}件・放置 ${neglected}件`,
    leads: (n: number) => `担当 ${n}件`,
    nothing: '返信待ち・放置なし',
    awaitingCount: (n: number) => `返信待ち ${n}件`,
    neglectedCount: (n: number) => `放置 ${n}件`,
    namesAndMore: (names: string, more: number) => `${names}ほか${more}件`,
    listSeparator: '、',
    moreReps: (n: number) => `ほか${n}人`,
    hint: (cmd: string) => `一覧: \`${cmd} leads @担当者 返信待ち\` または \`${cmd} leads @担当者 放置\``,
  },
};

export const leadsEn: typeof leadsJa = {
  leads: {
    title: 'Leads',
    separator: ' · ',
    owner: 'Owner',
    everyone: 'everyone',
    stagesByDefault: 'Active, Nurture and past customers',
    awaiting: 'Awaiting reply',
    neglected: 'Neglected',
    awaitingFor: (wait) => `Awaiting reply (${wait})`,
    minutes: (n) => `${n} min`,
    hours: (h, m) => `${plural(h, 'hour', 'hours')}${m > 0 ? ` ${m} min` : ''}`,
    days: (n) => plural(n, 'day', 'days'),
    neglectedFor: (days) => `Neglected (no contact for ${plural(days, 'day', 'days')})`,
    open: 'Open card',
    previous: 'Previous',
    next: 'Next',
    page: (from, to, total) => `${from}-${to} of ${total}`,
    total: (n) => plural(n, 'lead', 'leads'),
    empty: 'No lead matches.',
    othersLeads: (cmd) => `Only managers can list other people's leads. See your own with \`${cmd} leads\`.`,
    unknownWord: (word) => `"${word}" is not a condition.`,
    repeatedWord: (word) => `"${word}": give at most one owner, one timing and one stage.`,
    usage: (cmd, segments, stages) =>
      [
        `Usage: \`${cmd} leads [@owner] [timing] [stage] [awaiting] [neglected]\``,
        `Timing: ${segments}`,
        `Stage: ${stages}`,
        `Example: \`${cmd} leads @owner awaiting\``,
      ].join('\n'),
  },
  team: {
    title: 'Team',
    totals: (awaiting, neglected) => `${awaiting} awaiting a reply, ${neglected} neglected`,
    leads: (n) => plural(n, 'lead', 'leads'),
    nothing: 'nothing waiting or neglected',
    awaitingCount: (n) => `${n} awaiting a reply`,
    neglectedCount: (n) => `${n} neglected`,
    namesAndMore: (names, more) => `${names} and ${more} more`,
    listSeparator: ', ',
    moreReps: (n) => `and ${plural(n, 'more rep', 'more reps')}`,
    hint: (cmd) => `Full lists: \`${cmd} leads @owner awaiting\` or \`${cmd} leads @owner neglected\``,
  },
};

import { erasureEn, erasureJa } from './catalog/erasure.ts';

/**
 * The one message catalog: every word a lead or a rep reads. Japanese by default, English via LOCALE=en.
 */
const ja = {
  leadFallbackName: 'LINEユーザー',
  senderFallbackName: '担当者',
  somethingWentWrong: 'うまくいきませんでした、もう一度お試しください。',
  card: {
    title: (name: string) => `${name} さん`,
    source: '流入元',
    status: 'ステータス',
    owner: '担当',
    since: '登録日',
    unassigned: '未割当（担当する ボタンで引き受け）',
    sources: { follow: 'LINE友だち追加', message: 'LINEメッセージ' },
    statuses: { active: '対応中', blocked: 'ブロック中' },
    claim: '担当する',
    claimedBy: (user: string) => `担当: ${user}`,
    replyHint: 'このスレッドに返信すると、LINEでお客様に送信されます。',
    teamHint: '担当者がいないリードです。担当する ボタンで引き受けてください。',
    newLead: (name: string) => `新しいリード: ${name} さん`,
  },
  inbound: {
    sticker: 'スタンプ',
    image: '画像',
    video: '動画',
    audio: '音声メッセージ',
    file: (name: string) => `ファイル: ${name}`,
    location: '位置情報',
    unsupported: (type: string) => `対応していない種類のメッセージ（${type}）`,
    seconds: (s: number) => `${s}秒`,
    openMap: '地図を開く',
    cut: (chars: number) => `長すぎるため、残り${chars.toLocaleString('ja-JP')}文字は表示していません`,
  },
  history: (count: number) => `これまでのやりとり（直近${count}件）`,
  historyLead: '顧客',
  notice: {
    lead_blocked: 'このお客様がLINE公式アカウントをブロックしました。以後メッセージは送信されません。',
    lead_unblocked: 'このお客様がブロックを解除し、再び友だちになりました。',
    lead_reassigned: (from: string, to: string) => `担当が ${from} から ${to} に変わりました。`,
    reply_forbidden: (user: string) =>
      `${user} さんはこのリードの担当ではないため、LINEに送信していません（担当者かマネージャーのみ返信できます）。`,
    reply_lead_blocked: 'このお客様はブロック中のため、LINEに送信していません。',
    reply_too_long: 'メッセージが長すぎるため送信していません（25,000文字まで）。',
    reply_unsupported: 'LINEに送れるのはテキストのみです。ファイルや画像は送信していません。',
    push_failed: (error: string) => `LINEへの送信に失敗しました: ${error}`,
    moved_to_nurture: (attempts: number) =>
      `${attempts}回連絡して返答がないため、長期フォロー（ステップ配信などの低負荷な接触）に移しました。リードは残ります。`,
    back_from_nurture: 'お客様から反応があったため、長期フォローから通常の追客に戻しました。',
    segment_nearer: (from: string, to: string) =>
      `検討時期が近づきました: ${from} → ${to}。連絡の方法と頻度を見直しましょう。`,
    lead_erased: (by: string) =>
      `ご本人の求めにより、このお客様の個人情報を削除しました（実行: ${by}）。このスレッドのSlackメッセージは削除されていません。必要に応じてワークスペースの管理者が削除してください。この方から今後メッセージが届いた場合は、新しいリードとして扱います。`,
    reply_lead_erased: 'このお客様の個人情報は削除済みのため、LINEに送信していません。',
  },
  escalation: {
    owner: (owner: string, name: string, minutes: number) =>
      `:alarm_clock: ${owner} ${name} さんのメッセージに返信がないまま営業時間で${minutes}分たちました。すぐに返信しましょう。`,
    team: (name: string, minutes: number, owner: string) =>
      `:rotating_light: ${name} さんのメッセージが営業時間で${minutes}分未返信です（担当: ${owner}）。手の空いている人は対応してください。`,
    manager: (name: string, minutes: number, owner: string) =>
      `:rotating_light: ${name} さんのメッセージが営業時間で${minutes}分未返信です（担当: ${owner}）。対応を確認してください。`,
  },
  autoAck: (when: string) =>
    `メッセージありがとうございます。ただいま営業時間外のため、担当者から${when}以降にご連絡いたします。お急ぎの場合もこのままメッセージをお送りください。`,
  deliveryAlert: (lead: string | null, error: string) =>
    `:warning: ${lead ? `${lead} さん` : 'リード'}のメッセージまたは通知をSlackに表示できませんでした（${error}）。LINEのトークとボットの設定を確認してください。`,
  followUp: {
    segments: {
      within_1m: '1ヶ月以内',
      within_3m: '3ヶ月以内',
      within_6m: '半年以内',
      within_1y: '1年以内',
      over_1y: '1年以上',
      undecided: '未定',
    },
    stages: { open: '追客中', nurture: '長期フォロー', won: '成約', lost: '失注' },
    timing: '検討時期',
    amount: '金額',
    amountUnknown: '未入力',
    lastTouch: '最終接触',
    never: 'なし',
    next: '次回フォロー',
    stage: '段階',
    nextAttempt: (n: number) => `次は${n}回目の連絡`,
    daysAgo: (n: number) => (n === 0 ? '今日' : `${n}日前`),
    channels: {
      line: 'LINE',
      phone: '電話',
      visit: '訪問',
      email: 'メール',
      letter: '手紙',
      other: 'その他',
    },
    outcomes: {
      reached: '話せた',
      no_answer: '不在・出ない',
      left_message: '留守電・伝言',
      replied: '返信あり',
      sent: '送った',
      met: '会えた',
      other: 'その他',
    },
    buttons: {
      call: '電話した',
      visit: '訪問した',
      timing: '検討時期',
      amount: '金額',
      snooze: 'スヌーズ',
      reassign: '担当変更',
      won: '成約',
      lost: '失注',
      more: 'もっと見る',
    },
    snoozePresets: { '1': '明日', '3': '3日後', '7': '1週間後', '14': '2週間後', '30': '1ヶ月後' },
    confirmWon: (name: string) => `${name} さんを成約にします。`,
  },
  digest: {
    title: '今日の追客',
    sections: {
      awaiting_reply: '返信待ち',
      personal_contact: '電話・訪問',
      due_today: '今日の予定',
      neglected: '放置',
    },
    empty: '今日フォローが必要なリードはありません。',
    teamTitle: 'チームの状況',
    teamTotals: (awaiting: number, neglected: number) => `返信待ち ${awaiting}件・放置 ${neglected}件`,
    teamRow: (open: number, awaiting: number, neglected: number) =>
      `担当 ${open}件（返信待ち ${awaiting}件・放置 ${neglected}件）`,
    count: (n: number) => `${n}件`,
    page: (from: number, to: number, total: number) => `${total}件中 ${from}〜${to}件目`,
    reasons: {
      awaiting_reply: (minutes: number) =>
        `メッセージに未返信（${minutes < 60 ? `${minutes}分` : `${Math.floor(minutes / 60)}時間`}）`,
      personal_contact: (overdue: number, attempt: number) =>
        `${overdue > 0 ? `${overdue}日超過の` : ''}電話・訪問の予定（${attempt}回目）`,
      due_today: (overdue: number, attempt: number) =>
        `${overdue > 0 ? `${overdue}日超過の` : ''}定期フォロー（${attempt}回目）`,
      customer: '既存顧客のアフターフォロー',
      neglected: (days: number) => `${days}日間接触なし`,
    },
  },
  modal: {
    touchTitle: { phone: '連絡の記録', visit: '訪問の記録' },
    save: '記録する',
    close: '閉じる',
    outcome: '結果',
    channel: '手段',
    note: 'メモ',
    notePlaceholder: '話した内容、次にすること',
    nextDate: '次回の連絡日',
    amountTitle: '金額（見込み）',
    amountLabel: '金額',
    amountPlaceholder: '例: 3500万 / 1.2億 / 空欄で未入力',
    amountInvalid: '「3500万」「1.2億」「35000000」のように入力してください。',
    lostTitle: '失注にする',
    lostReason: '理由',
    lostSubmit: '失注にする',
    wonTitle: '成約にする',
    wonSubmit: '成約にする',
    handoverDate: '引き渡し日',
    handoverHint:
      '入力すると既存顧客として、引き渡しの1ヶ月後・半年後・1年後・以後毎年のアフターフォローが予定に入ります。',
    lostReasons: {
      declined: 'お客様から辞退',
      competitor: '他社で契約',
      postponed: '計画の中止・延期',
      no_response: '連絡がつかない',
      other: 'その他',
    },
  },
  actionResult: {
    forbidden: 'このリードの担当者かマネージャーだけが操作できます。',
    gone: 'このリードは見つかりませんでした。',
    lostTooEarly: (attempts: number, needed: number) =>
      `失注にできません: 記録された連絡はまだ${attempts}回です。返答がなくても${needed}回までは連絡を続けましょう（4回連絡して返答がなければ自動で長期フォローに移ります）。`,
    notStaff: (user: string) => `${user} はスタッフとして登録されていないため、担当にできません。`,
    closed: (stage: string) => `このリードはすでに「${stage}」です。`,
    done: '更新しました。',
  },
  nobody: '未割当',
  command: {
    help: (cmd: string) =>
      [
        '*追客ボット の使い方*',
        `• \`${cmd} today\` 今日の追客リスト`,
        `• \`${cmd} lead 名前の一部\` リードを探してカードを表示`,
        `• \`${cmd} staff list\` スタッフ一覧`,
        `• \`${cmd} staff add @ユーザー rep|manager\` スタッフを登録（マネージャーのみ）`,
        `• \`${cmd} staff remove @ユーザー\` スタッフを削除し、担当リードを引き継ぎ（マネージャーのみ）`,
        `• \`${cmd} lead erase 名前の一部\` ご本人の求めでリードの個人情報を削除（マネージャーのみ）`,
        `• \`${cmd} help\` このヘルプ`,
        'リードのメッセージは担当者とのDMにスレッドで届きます。スレッドに返信するとLINEで送信されます。',
      ].join('\n'),
    managersOnly: 'このコマンドはマネージャーのみ実行できます。変更はしていません。',
    unknown: (word: string, cmd: string) =>
      `「${word}」というコマンドはありません。\`${cmd} help\` で使い方を確認できます。`,
    usageAdd: (cmd: string) => `使い方: \`${cmd} staff add @ユーザー rep|manager\``,
    usageRemove: (cmd: string) => `使い方: \`${cmd} staff remove @ユーザー\``,
    usageStaff: (cmd: string) => `使い方: \`${cmd} staff list|add|remove\``,
    usageLead: (cmd: string) => `使い方: \`${cmd} lead 名前の一部\``,
    leadNone: (query: string) =>
      `「${query}」に一致するリードは見つかりませんでした（担当しているリードだけが表示されます）。`,
    leadMore: (shown: number) =>
      `一致するリードが多いため、最初の${shown}件を表示しています。名前をもう少し詳しく指定してください。`,
    notStaffSelf: 'スタッフとして登録されていません。マネージャーに登録を依頼してください。',
    badUser: 'ユーザーは @メンション または U から始まるユーザーIDで指定してください。',
    badRole: '役割は rep（営業）か manager（マネージャー）で指定してください。',
    added: (user: string, role: string) => `${user} を ${role} として登録しました。`,
    removed: (user: string, moved: number) =>
      moved > 0 ? `${user} を削除し、担当リード ${moved} 件を引き継ぎました。` : `${user} を削除しました。`,
    notStaff: (user: string) => `${user} はスタッフとして登録されていません。`,
    listTitle: 'スタッフ一覧',
    listEmpty: 'スタッフはまだ登録されていません。',
    roles: { rep: '営業', manager: 'マネージャー' },
  },
  erasure: erasureJa,
  claim: {
    notStaff: 'スタッフとして登録されていないため、担当になれません。マネージャーに登録を依頼してください。',
    alreadyClaimed: (user: string) => `このリードはすでに ${user} が担当しています。`,
    done: (name: string) => `${name} さんの担当になりました。DMのスレッドでやりとりできます。`,
    gone: 'このリードは見つかりませんでした。',
  },
};

export type Catalog = typeof ja;

const en: Catalog = {
  leadFallbackName: 'LINE user',
  senderFallbackName: 'Sales rep',
  somethingWentWrong: 'That did not work. Please try again.',
  card: {
    title: (name) => name,
    source: 'Source',
    status: 'Status',
    owner: 'Owner',
    since: 'Since',
    unassigned: 'Unassigned (press Claim to take it)',
    sources: { follow: 'Added as LINE friend', message: 'LINE message' },
    statuses: { active: 'Active', blocked: 'Blocked' },
    claim: 'Claim',
    claimedBy: (user) => `Owner: ${user}`,
    replyHint: 'Reply in this thread to answer the customer on LINE.',
    teamHint: 'This lead has no owner yet. Press Claim to take it.',
    newLead: (name) => `New lead: ${name}`,
  },
  inbound: {
    sticker: 'Sticker',
    image: 'Image',
    video: 'Video',
    audio: 'Voice message',
    file: (name) => `File: ${name}`,
    location: 'Location',
    unsupported: (type) => `Unsupported message type (${type})`,
    seconds: (s) => `${s}s`,
    openMap: 'Open map',
    cut: (chars: number) =>
      `Too long: the remaining ${chars.toLocaleString('en-US')} characters are not shown`,
  },
  history: (count) => `Conversation so far (last ${count})`,
  historyLead: 'Customer',
  notice: {
    lead_blocked: 'The customer blocked the LINE account. Nothing more will be sent.',
    lead_unblocked: 'The customer unblocked the account and is a friend again.',
    lead_reassigned: (from, to) => `Owner changed from ${from} to ${to}.`,
    reply_forbidden: (user) =>
      `${user} is not this lead's owner, so nothing was sent (only the owner or a manager can reply).`,
    reply_lead_blocked: 'The customer has blocked the account, so nothing was sent.',
    reply_too_long: 'The message is too long and was not sent (25,000 characters at most).',
    reply_unsupported: 'Only text can be sent to LINE. Files and images were not sent.',
    push_failed: (error) => `Sending to LINE failed: ${error}`,
    moved_to_nurture: (attempts) =>
      `No answer after ${attempts} attempts: moved to long-term nurture (low-load contact such as step messages). The lead stays in the system.`,
    back_from_nurture: 'The customer responded, so the lead is back from nurture to active follow-up.',
    segment_nearer: (from, to) =>
      `Purchase timing is getting closer: ${from} → ${to}. Review how and how often to contact.`,
    lead_erased: (by) =>
      `This customer's personal data was erased at their request (by ${by}). The Slack messages in this thread were not deleted: a workspace admin can delete them if needed. A new message from this person will start a new lead.`,
    reply_lead_erased: "This customer's personal data was erased, so nothing was sent to LINE.",
  },
  escalation: {
    owner: (owner, name, minutes) =>
      `:alarm_clock: ${owner} ${name}'s message has waited ${minutes} business minutes without a reply. Please answer now.`,
    team: (name, minutes, owner) =>
      `:rotating_light: ${name}'s message has waited ${minutes} business minutes (owner: ${owner}). Anyone free, please help.`,
    manager: (name, minutes, owner) =>
      `:rotating_light: ${name}'s message has waited ${minutes} business minutes (owner: ${owner}). Please check.`,
  },
  autoAck: (when) =>
    `Thank you for your message. We are outside business hours now; your contact person will get back to you from ${when}.`,
  deliveryAlert: (lead, error) =>
    `:warning: A message or notice about ${lead ?? 'a lead'} could not be shown in Slack (${error}). Check the LINE chat and the bot's setup.`,
  followUp: {
    segments: {
      within_1m: 'Within 1 month',
      within_3m: 'Within 3 months',
      within_6m: 'Within 6 months',
      within_1y: 'Within 1 year',
      over_1y: 'Over 1 year',
      undecided: 'Undecided',
    },
    stages: { open: 'Active', nurture: 'Nurture', won: 'Won', lost: 'Lost' },
    timing: 'Timing',
    amount: 'Amount',
    amountUnknown: 'not set',
    lastTouch: 'Last touch',
    never: 'never',
    next: 'Next follow-up',
    stage: 'Stage',
    nextAttempt: (n) => `next is attempt #${n}`,
    daysAgo: (n) => (n === 0 ? 'today' : `${n} days ago`),
    channels: {
      line: 'LINE',
      phone: 'Phone',
      visit: 'Visit',
      email: 'Email',
      letter: 'Letter',
      other: 'Other',
    },
    outcomes: {
      reached: 'Talked',
      no_answer: 'No answer',
      left_message: 'Left a message',
      replied: 'Replied',
      sent: 'Sent',
      met: 'Met',
      other: 'Other',
    },
    buttons: {
      call: 'Called',
      visit: 'Visited',
      timing: 'Timing',
      amount: 'Amount',
      snooze: 'Snooze',
      reassign: 'Reassign',
      won: 'Won',
      lost: 'Lost',
      more: 'More',
    },
    snoozePresets: {
      '1': 'Tomorrow',
      '3': 'In 3 days',
      '7': 'In a week',
      '14': 'In 2 weeks',
      '30': 'In a month',
    },
    confirmWon: (name) => `Close ${name} as won.`,
  },
  digest: {
    title: "Today's follow-ups",
    sections: {
      awaiting_reply: 'Awaiting your reply',
      personal_contact: 'Call or visit',
      due_today: 'Due today',
      neglected: 'Neglected',
    },
    empty: 'No lead needs a follow-up today.',
    teamTitle: 'Team',
    teamTotals: (awaiting, neglected) => `${awaiting} awaiting a reply, ${neglected} neglected`,
    teamRow: (open, awaiting, neglected) =>
      `${open} leads (${awaiting} awaiting a reply, ${neglected} neglected)`,
    count: (n) => `${n}`,
    page: (from, to, total) => `${from}-${to} of ${total}`,
    reasons: {
      awaiting_reply: (minutes) =>
        `Unanswered message (${minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h`})`,
      personal_contact: (overdue, attempt) =>
        `Call/visit due${overdue > 0 ? `, ${overdue} days overdue` : ''} (attempt #${attempt})`,
      due_today: (overdue, attempt) =>
        `Follow-up due${overdue > 0 ? `, ${overdue} days overdue` : ''} (attempt #${attempt})`,
      customer: 'After-sales follow-up',
      neglected: (days) => `No contact for ${days} days`,
    },
  },
  modal: {
    touchTitle: { phone: 'Log a contact', visit: 'Log a visit' },
    save: 'Save',
    close: 'Close',
    outcome: 'Outcome',
    channel: 'Channel',
    note: 'Note',
    notePlaceholder: 'What was said, what comes next',
    nextDate: 'Next contact date',
    amountTitle: 'Expected amount',
    amountLabel: 'Amount (yen)',
    amountPlaceholder: 'e.g. 35000000; empty for not set',
    amountInvalid: 'Enter an amount in yen, such as 35000000 or 35,000,000.',
    lostTitle: 'Close as lost',
    lostReason: 'Reason',
    lostSubmit: 'Close as lost',
    wonTitle: 'Close as won',
    wonSubmit: 'Close as won',
    handoverDate: 'Handover date',
    handoverHint:
      'With a date the lead becomes a past customer with after-sales follow-ups (1 month, 6 months, 1 year, then yearly).',
    lostReasons: {
      declined: 'Customer declined',
      competitor: 'Signed with a competitor',
      postponed: 'Plan cancelled or postponed',
      no_response: 'Cannot reach them',
      other: 'Other',
    },
  },
  actionResult: {
    forbidden: "Only the lead's owner or a manager can do this.",
    gone: 'This lead could not be found.',
    lostTooEarly: (attempts, needed) =>
      `Cannot close as lost: only ${attempts} documented attempt(s). Keep going until ${needed} (after 4 unanswered attempts the lead moves to nurture by itself).`,
    notStaff: (user) => `${user} is not registered as staff and cannot own leads.`,
    closed: (stage) => `This lead is already ${stage}.`,
    done: 'Updated.',
  },
  nobody: 'nobody',
  command: {
    help: (cmd) =>
      [
        '*How to use the tsuikyaku bot*',
        `• \`${cmd} today\` today's follow-up list`,
        `• \`${cmd} lead part-of-name\` find leads and show their cards`,
        `• \`${cmd} staff list\` list staff`,
        `• \`${cmd} staff add @user rep|manager\` register staff (managers only)`,
        `• \`${cmd} staff remove @user\` remove staff and hand over their leads (managers only)`,
        `• \`${cmd} lead erase part-of-name\` erase a lead's personal data at their request (managers only)`,
        `• \`${cmd} help\` this help`,
        'Lead messages arrive in a thread in your DM with the bot. Reply in the thread to answer on LINE.',
      ].join('\n'),
    managersOnly: 'Only managers can run this command. Nothing was changed.',
    unknown: (word, cmd) => `There is no command "${word}". See \`${cmd} help\`.`,
    usageAdd: (cmd) => `Usage: \`${cmd} staff add @user rep|manager\``,
    usageRemove: (cmd) => `Usage: \`${cmd} staff remove @user\``,
    usageStaff: (cmd) => `Usage: \`${cmd} staff list|add|remove\``,
    usageLead: (cmd) => `Usage: \`${cmd} lead part-of-name\``,
    leadNone: (query) => `No lead matches "${query}" (only leads you may work are shown).`,
    leadMore: (shown) => `Many leads match; showing the first ${shown}. Narrow the name down.`,
    notStaffSelf: 'You are not registered as staff. Ask a manager to add you.',
    badUser: 'Name the user with an @mention or a user ID starting with U.',
    badRole: 'The role must be rep or manager.',
    added: (user, role) => `Registered ${user} as ${role}.`,
    removed: (user, moved) =>
      moved > 0 ? `Removed ${user} and handed over ${moved} lead(s).` : `Removed ${user}.`,
    notStaff: (user) => `${user} is not registered as staff.`,
    listTitle: 'Staff',
    listEmpty: 'No staff registered yet.',
    roles: { rep: 'rep', manager: 'manager' },
  },
  erasure: erasureEn,
  claim: {
    notStaff: 'You are not registered as staff, so you cannot claim leads. Ask a manager to add you.',
    alreadyClaimed: (user) => `This lead is already owned by ${user}.`,
    done: (name) => `You now own ${name}. Continue in the thread in your DM.`,
    gone: 'This lead could not be found.',
  },
};

export type Locale = 'ja' | 'en';

export function catalog(locale: Locale): Catalog {
  return locale === 'en' ? en : ja;
}

/** A moment as a lead reads it: "11月24日(火) 9:00" in Japanese, "Tue 24 Nov, 09:00" in English. */
export function formatMoment(date: Date, locale: Locale, timezone: string): string {
  if (locale === 'en') {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(date);
  }
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('ja-JP', {
      timeZone: timezone,
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.month}月${parts.day}日(${parts.weekday}) ${parts.hour}:${parts.minute}`;
}

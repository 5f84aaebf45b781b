/**
 * The one message catalog: every word a lead or a rep reads. Japanese by default, English via LOCALE=en.
 */
const ja = {
  leadFallbackName: 'LINEユーザー',
  senderFallbackName: '担当者',
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
    back_from_nurture: (_attempts: number) =>
      'お客様から反応があったため、長期フォローから通常の追客に戻しました。',
  },
  deliveryAlert: (lead: string | null, error: string) =>
    `:warning: ${lead ? `${lead} さん` : 'リード'}のメッセージまたは通知をSlackに表示できませんでした（${error}）。LINEのトークとボットの設定を確認してください。`,
  nobody: '未割当',
  command: {
    help: (cmd: string) =>
      [
        '*追客ボット の使い方*',
        `• \`${cmd} staff list\` スタッフ一覧`,
        `• \`${cmd} staff add @ユーザー rep|manager\` スタッフを登録（マネージャーのみ）`,
        `• \`${cmd} staff remove @ユーザー\` スタッフを削除し、担当リードを引き継ぎ（マネージャーのみ）`,
        `• \`${cmd} help\` このヘルプ`,
        'リードのメッセージは担当者とのDMにスレッドで届きます。スレッドに返信するとLINEで送信されます。',
      ].join('\n'),
    managersOnly: 'このコマンドはマネージャーのみ実行できます。変更はしていません。',
    unknown: (word: string, cmd: string) =>
      `「${word}」というコマンドはありません。\`${cmd} help\` で使い方を確認できます。`,
    usageAdd: (cmd: string) => `使い方: \`${cmd} staff add @ユーザー rep|manager\``,
    usageRemove: (cmd: string) => `使い方: \`${cmd} staff remove @ユーザー\``,
    usageStaff: (cmd: string) => `使い方: \`${cmd} staff list|add|remove\``,
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
    back_from_nurture: (_attempts) =>
      'The customer responded, so the lead is back from nurture to active follow-up.',
  },
  deliveryAlert: (lead, error) =>
    `:warning: A message or notice about ${lead ?? 'a lead'} could not be shown in Slack (${error}). Check the LINE chat and the bot's setup.`,
  nobody: 'nobody',
  command: {
    help: (cmd) =>
      [
        '*How to use the tsuikyaku bot*',
        `• \`${cmd} staff list\` list staff`,
        `• \`${cmd} staff add @user rep|manager\` register staff (managers only)`,
        `• \`${cmd} staff remove @user\` remove staff and hand over their leads (managers only)`,
        `• \`${cmd} help\` this help`,
        'Lead messages arrive in a thread in your DM with the bot. Reply in the thread to answer on LINE.',
      ].join('\n'),
    managersOnly: 'Only managers can run this command. Nothing was changed.',
    unknown: (word, cmd) => `There is no command "${word}". See \`${cmd} help\`.`,
    usageAdd: (cmd) => `Usage: \`${cmd} staff add @user rep|manager\``,
    usageRemove: (cmd) => `Usage: \`${cmd} staff remove @user\``,
    usageStaff: (cmd) => `Usage: \`${cmd} staff list|add|remove\``,
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

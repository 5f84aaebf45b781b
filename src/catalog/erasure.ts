import { plural } from './english.ts';

/** The words of erasing a lead on request (個人情報の削除・利用停止). */
export const erasureJa = {
  usage: (cmd: string) => `使い方: \`${cmd} lead erase 名前の一部またはLINEユーザーID\``,
  none: (query: string) => `「${query}」に一致するリードは見つかりませんでした。`,
  title: '個人情報の削除',
  next: '次へ',
  submit: '削除する',
  doneTitle: '削除しました',
  intro: '次のお客様の個人情報を削除します。元に戻すことはできません。',
  choose: '削除するお客様',
  more: (shown: number) =>
    `一致するリードが多いため、最初の${shown}件から選べます。名前をもう少し詳しく指定するか、LINEユーザーIDで指定してください。`,
  candidate: (name: string, owner: string, since: string) =>
    `${name}さん（担当: ${owner}、登録日: ${since}）`,
  removesTitle: '削除するもの',
  removesProfile: '名前、アイコン、LINEユーザーID',
  removesMessages: (n: number) => `メッセージ${n}件`,
  removesTouches: (n: number) => `接触記録${n}件のメモ（日時と種類は集計のために残します）`,
  removesEvents: (n: number) => `受信したLINEイベント${n}件の内容`,
  removesOutbox: (n: number) => `送信待ち・送信済みの処理${n}件`,
  removesDeadLetters: (n: number) => `処理できなかった受信データ${n}件`,
  removesHistoryNotes: (n: number) => `履歴に書かれたメモ${n}件`,
  keeps:
    '担当、段階、金額、検討時期は、個人を特定しない形でチームの集計のために残します。この方から今後メッセージが届いた場合は、新しいリードとして扱います。',
  slack: (threads: number) =>
    threads > 0
      ? `Slackに投稿済みのメッセージは削除されません（ワークスペースの管理者が削除できます）。スレッド${threads}件に削除したことを投稿します。`
      : 'Slackに投稿済みのメッセージは削除されません（ワークスペースの管理者が削除できます）。',
  done: (messages: number, touches: number) =>
    `個人情報を削除しました。メッセージ${messages}件を削除し、接触記録${touches}件を匿名化しました。`,
  alreadyErased: 'このお客様の個人情報はすでに削除されています。',
  gone: 'このリードは見つかりませんでした。',
  cardTitle: '個人情報を削除したリード',
  cardNote:
    'ご本人の求めにより個人情報を削除しました。このリードへの返信や操作はできません。Slackに残っているメッセージは、必要に応じてワークスペースの管理者が削除してください。',
};

export const erasureEn: typeof erasureJa = {
  usage: (cmd) => `Usage: \`${cmd} lead erase part-of-name-or-LINE-user-ID\``,
  none: (query) => `No lead matches "${query}".`,
  title: 'Erase personal data',
  next: 'Next',
  submit: 'Erase',
  doneTitle: 'Erased',
  intro: "This erases the following customer's personal data. It cannot be undone.",
  choose: 'Customer to erase',
  more: (shown) =>
    `Many leads match; choose from the first ${shown}, or give more of the name or the LINE user ID.`,
  candidate: (name, owner, since) => `${name} (owner: ${owner}, since ${since})`,
  removesTitle: 'What is removed',
  removesProfile: 'Name, picture and LINE user ID',
  removesMessages: (n) => plural(n, 'message'),
  removesTouches: (n) =>
    `The notes of ${plural(n, 'contact record')} (their time and kind stay for the team's numbers)`,
  removesEvents: (n) => `The content of ${plural(n, 'received LINE event')}`,
  removesOutbox: (n) => plural(n, 'queued or sent delivery', 'queued or sent deliveries'),
  removesDeadLetters: (n) => plural(n, 'unprocessed received item'),
  removesHistoryNotes: (n) => `${plural(n, 'note')} in the history`,
  keeps:
    "Owner, stage, amount and purchase timing stay for the team's numbers, without anything that identifies the person. A new message from this person will start a new lead.",
  slack: (threads) =>
    threads > 0
      ? `Messages already posted in Slack are not deleted (a workspace admin can delete them). A notice is posted in ${plural(threads, 'thread')}.`
      : 'Messages already posted in Slack are not deleted (a workspace admin can delete them).',
  done: (messages, touches) =>
    `Personal data erased: ${plural(messages, 'message')} deleted, ${plural(touches, 'contact record')} anonymised.`,
  alreadyErased: "This customer's personal data has already been erased.",
  gone: 'This lead could not be found.',
  cardTitle: 'Lead with personal data erased',
  cardNote:
    "This person's personal data was erased at their request. Replies and actions are no longer possible. A workspace admin can delete the Slack messages left here if needed.",
};

/** What a lead's thread is told about an erasure (keys of LeadNotice). */
export const erasureNoticesJa = {
  lead_erased: (by: string) =>
    `ご本人の求めにより、このお客様の個人情報を削除しました（実行: ${by}）。このスレッドのSlackメッセージは削除されていません。必要に応じてワークスペースの管理者が削除してください。この方から今後メッセージが届いた場合は、新しいリードとして扱います。`,
  reply_lead_erased: 'このお客様の個人情報は削除済みのため、LINEに送信していません。',
};

export const erasureNoticesEn: typeof erasureNoticesJa = {
  lead_erased: (by) =>
    `This customer's personal data was erased at their request (by ${by}). The Slack messages in this thread were not deleted: a workspace admin can delete them if needed. A new message from this person will start a new lead.`,
  reply_lead_erased: "This customer's personal data was erased, so nothing was sent to LINE.",
};

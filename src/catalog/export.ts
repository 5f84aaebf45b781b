import { plural } from './english.ts';

/** The CSV export (`/tsuikyaku export`): the command's answers, the file's words and its header rows. */
export const exportJa = {
  export: {
    datasets: { leads: 'リード', touches: '接触履歴', messages: 'メッセージ' },
    /** A period of days: 11月23日(月)〜11月29日(日). */
    preparing: (dataset: string, period: string) =>
      `${dataset}のCSV（${period}）を作成しています。できあがったらDMに送ります。`,
    managersOnly: 'CSVの書き出しはマネージャーのみ実行できます。',
    usage: (cmd: string, maxDays: number) =>
      [
        `使い方: \`${cmd} export leads|touches|messages [期間]\``,
        `期間: \`today\`（今日）、\`week\`（今週、指定しないとき）、\`month\`（今月）、\`quarter\`（四半期）、\`2026-11\`（月）、\`2026-11-01..2026-11-30\`（日付の範囲、${maxDays}日まで）`,
      ].join('\n'),
    unknownDataset: (word: string) =>
      `「${word}」は書き出せません。leads（リード）、touches（接触履歴）、messages（メッセージ）から選んでください。`,
    badPeriod: (word: string) => `「${word}」は期間として使えません。`,
    reversedPeriod: (word: string) => `「${word}」は終わりの日が始まりの日より前です。`,
    tooLongPeriod: (word: string, maxDays: number) =>
      `「${word}」は長すぎます。期間は${maxDays}日までにしてください。`,
    title: (dataset: string, period: string) => `${dataset}（${period}）`,
    comment: (dataset: string, period: string, rows: number) =>
      `${dataset}のCSVです（${period}、${rows.toLocaleString('ja-JP')}件）。`,
    empty: (dataset: string, period: string) =>
      `${period}の${dataset}はありません。見出し行だけのCSVを送ります。`,
    failed: (dataset: string, period: string, error: string) =>
      `${dataset}のCSV（${period}）を送れませんでした（${error}）。もう一度お試しください。続くときは、ボットの権限（files:write）を管理者に確認してもらってください。`,
    tagSeparator: '、',
    directions: { inbound: 'お客様から', outbound: '担当者から' },
    messageKinds: {
      text: 'テキスト',
      sticker: 'スタンプ',
      image: '画像',
      video: '動画',
      audio: '音声',
      file: 'ファイル',
      location: '位置情報',
      unsupported: 'その他',
    },
    messageStatuses: { received: '受信', pending: '送信待ち', sent: '送信済み', failed: '送信失敗' },
    columns: {
      leads: {
        id: 'リードID',
        name: '名前',
        owner: '担当者',
        stage: '段階',
        timing: '検討時期',
        segment: '検討時期の区分',
        amount: '金額（円）',
        createdAt: '登録日時',
        lastTouchAt: '最終接触日時',
        lastInboundAt: 'お客様の最終メッセージ日時',
        closedAt: '成約・失注日時',
        lostReason: '失注理由',
        handoverDate: '引き渡し日',
        blockedAt: 'ブロック日時',
        optedOutAt: '配信停止日時',
        tags: 'タグ',
        erasedAt: '個人情報の削除日時',
      },
      touches: {
        at: '日時',
        leadId: 'リードID',
        lead: 'リード名',
        channel: '手段',
        direction: '方向',
        outcome: '結果',
        author: '記録した人',
        note: 'メモ',
      },
      messages: {
        createdAt: '日時',
        sentAt: '送信日時',
        leadId: 'リードID',
        lead: 'リード名',
        direction: '方向',
        kind: '種類',
        text: '本文',
        author: '送信者',
        status: '状態',
      },
    },
  },
};

export const exportEn: typeof exportJa = {
  export: {
    datasets: { leads: 'leads', touches: 'touches', messages: 'messages' },
    preparing: (dataset, period) =>
      `Preparing the ${dataset} CSV for ${period}. It will arrive in your DM with the bot.`,
    managersOnly: 'Only managers can export CSV files.',
    usage: (cmd, maxDays) =>
      [
        `Usage: \`${cmd} export leads|touches|messages [period]\``,
        `Period: \`today\`, \`week\` (the default), \`month\`, \`quarter\`, a month such as \`2026-11\`, or dates such as \`2026-11-01..2026-11-30\` (up to ${plural(maxDays, 'day')})`,
      ].join('\n'),
    unknownDataset: (word) => `"${word}" cannot be exported. Choose leads, touches or messages.`,
    badPeriod: (word) => `"${word}" is not a period.`,
    reversedPeriod: (word) => `"${word}" ends before it starts.`,
    tooLongPeriod: (word, maxDays) =>
      `"${word}" is too long: a period can be up to ${plural(maxDays, 'day')}.`,
    title: (dataset, period) => `Export of ${dataset}, ${period}`,
    comment: (dataset, period, rows) => `The ${dataset} CSV for ${period} (${plural(rows, 'row')}).`,
    empty: (dataset, period) => `No ${dataset} for ${period}: the CSV holds only the header row.`,
    failed: (dataset, period, error) =>
      `The ${dataset} CSV for ${period} could not be sent (${error}). Please try again; if it keeps failing, ask an admin to check the bot's files:write permission.`,
    tagSeparator: ', ',
    directions: { inbound: 'from the lead', outbound: 'to the lead' },
    messageKinds: {
      text: 'text',
      sticker: 'sticker',
      image: 'image',
      video: 'video',
      audio: 'audio',
      file: 'file',
      location: 'location',
      unsupported: 'other',
    },
    messageStatuses: { received: 'received', pending: 'pending', sent: 'sent', failed: 'failed' },
    columns: {
      leads: {
        id: 'Lead ID',
        name: 'Name',
        owner: 'Owner',
        stage: 'Stage',
        timing: 'Purchase timing',
        segment: 'Timing segment',
        amount: 'Amount (JPY)',
        createdAt: 'Created',
        lastTouchAt: 'Last touch',
        lastInboundAt: 'Last message from the lead',
        closedAt: 'Won or lost',
        lostReason: 'Lost reason',
        handoverDate: 'Handover date',
        blockedAt: 'Blocked',
        optedOutAt: 'Opted out',
        tags: 'Tags',
        erasedAt: 'Personal data erased',
      },
      touches: {
        at: 'At',
        leadId: 'Lead ID',
        lead: 'Lead',
        channel: 'Channel',
        direction: 'Direction',
        outcome: 'Outcome',
        author: 'Logged by',
        note: 'Note',
      },
      messages: {
        createdAt: 'At',
        sentAt: 'Sent at',
        leadId: 'Lead ID',
        lead: 'Lead',
        direction: 'Direction',
        kind: 'Kind',
        text: 'Text',
        author: 'Sent by',
        status: 'Status',
      },
    },
  },
};

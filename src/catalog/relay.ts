import { plural } from './english.ts';

/** The relay: lead cards, relayed messages, the history a new thread shows, claims, delivery alerts. */
export const relayJa = {
  card: {
    title: (name: string) => `${name}さん`,
    source: '流入元',
    status: '状況',
    owner: '担当',
    since: '登録日',
    unassigned: '未割当（「担当する」ボタンで引き受け）',
    sources: { follow: 'LINE友だち追加', message: 'LINEメッセージ' },
    statuses: { active: '対応中', blocked: 'ブロック中' },
    teamChannel: 'チームチャンネル',
    moved: (to: string) =>
      `このリードは ${to} の担当に移りました。以後のやりとりと操作は、新しい担当のスレッドで行います。`,
    movedTitle: (name: string) => `担当が移ったリード: ${name}さん`,
    handedOver: (name: string) => `担当になったリード: ${name}さん`,
    claim: '担当する',
    claimedBy: (user: string) => `担当: ${user}`,
    replyHint: 'このスレッドに返信すると、LINEでお客様に送信されます。',
    teamHint: '担当者がいないリードです。「担当する」ボタンで引き受けてください。',
    newLead: (name: string) => `新しいリード: ${name}さん`,
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
  deliveryAlert: (lead: string | null, error: string) =>
    `:warning: ${lead ? `${lead}さん` : 'リード'}のメッセージまたは通知をSlackに表示できませんでした（${error}）。LINEのトークとボットの設定を確認してください。`,
  claim: {
    notStaff: 'スタッフとして登録されていないため、担当になれません。マネージャーに登録を依頼してください。',
    alreadyClaimed: (user: string) => `このリードはすでに ${user} が担当しています。`,
    done: (name: string) => `${name}さんの担当になりました。DMのスレッドでやりとりできます。`,
    gone: 'このリードは見つかりませんでした。',
  },
};

export const relayEn: typeof relayJa = {
  card: {
    title: (name) => name,
    source: 'Source',
    status: 'Status',
    owner: 'Owner',
    since: 'Since',
    unassigned: 'Unassigned (press Claim to take it)',
    sources: { follow: 'Added as LINE friend', message: 'LINE message' },
    statuses: { active: 'Active', blocked: 'Blocked' },
    teamChannel: 'the team channel',
    moved: (to) => `This lead now belongs to ${to}. Replies and actions happen in the new owner's thread.`,
    movedTitle: (name) => `Lead moved on: ${name}`,
    handedOver: (name) => `Lead handed to you: ${name}`,
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
    cut: (chars: number) => `Too long: ${plural(chars, 'more character')} not shown`,
  },
  history: (count) => `Conversation so far (last ${count})`,
  historyLead: 'Customer',
  deliveryAlert: (lead, error) =>
    `:warning: A message or notice about ${lead ?? 'a lead'} could not be shown in Slack (${error}). Check the LINE chat and the bot's setup.`,
  claim: {
    notStaff: 'You are not registered as staff, so you cannot claim leads. Ask a manager to add you.',
    alreadyClaimed: (user) => `This lead is already owned by ${user}.`,
    done: (name) => `You now own ${name}. Continue in the thread in your DM.`,
    gone: 'This lead could not be found.',
  },
};

/** What a lead's thread is told about the relay (keys of LeadNotice). */
export const relayNoticesJa = {
  reply_moved: (to: string) =>
    `このリードは ${to} の担当に移ったため、LINEに送信していません。新しい担当のスレッドで返信してください。`,
  lead_blocked: 'このお客様がLINE公式アカウントをブロックしました。以後メッセージは送信されません。',
  lead_unblocked: 'このお客様がブロックを解除し、再び友だちになりました。',
  lead_reassigned: (from: string, to: string) => `担当が ${from} から ${to} に変わりました。`,
  /** lead_reassigned from nobody, or to nobody (the last rep left): no 未割当 in the sentence. */
  lead_owner_set: (to: string) => `担当が ${to} になりました。`,
  lead_owner_cleared: (from: string) => `${from} が担当を外れ、担当者のいないリードになりました。`,
  reply_forbidden:
    'このリードの担当ではないため、LINEに送信していません（返信できるのは担当者とマネージャーです）。',
  reply_lead_blocked: 'このお客様はブロック中のため、LINEに送信していません。',
  reply_too_long: 'メッセージが長すぎるため送信していません（25,000文字まで）。',
  reply_unsupported: 'LINEに送れるのはテキストのみです。ファイルや画像は送信していません。',
  push_failed: (error: string) => `LINEへの送信に失敗しました: ${error}`,
};

export const relayNoticesEn: typeof relayNoticesJa = {
  reply_moved: (to) =>
    `This lead now belongs to ${to}, so nothing was sent to LINE. Reply in the new owner's thread.`,
  lead_blocked: 'The customer blocked the LINE account. Nothing more will be sent.',
  lead_unblocked: 'The customer unblocked the account and is a friend again.',
  lead_reassigned: (from, to) => `Owner changed from ${from} to ${to}.`,
  lead_owner_set: (to) => `${to} now owns this lead.`,
  lead_owner_cleared: (from) => `${from} no longer owns this lead, and it has no owner now.`,
  reply_forbidden: "Not sent to LINE: only the lead's owner or a manager can reply here.",
  reply_lead_blocked: 'The customer has blocked the account, so nothing was sent.',
  reply_too_long: 'The message is too long and was not sent (25,000 characters at most).',
  reply_unsupported: 'Only text can be sent to LINE. Files and images were not sent.',
  push_failed: (error) => `Sending to LINE failed: ${error}`,
};

import { ordinal, plural } from './english.ts';

/** Follow-up: the card's follow-up fields and buttons, modals, digests, escalation, the out-of-hours answer. */
export const followUpJa = {
  escalation: {
    owner: (owner: string, name: string, waited: string) =>
      `:alarm_clock: ${owner} ${name}さんのメッセージに返信がないまま、営業時間内で${waited}経過しました。すぐに返信しましょう。`,
    team: (name: string, waited: string, owner: string) =>
      `:rotating_light: ${name}さんのメッセージに返信がないまま、営業時間内で${waited}経過しました（担当: ${owner}）。手の空いている人は代わりに対応してください。`,
    manager: (name: string, waited: string, owner: string) =>
      `:rotating_light: ${name}さんのメッセージに返信がないまま、営業時間内で${waited}経過しました（担当: ${owner}）。対応状況を確認してください。`,
    reminder: (owner: string, name: string, waited: string) =>
      `:alarm_clock: ${owner} ${name}さんのメッセージはまだ返信待ちです。営業時間内で${waited}経過しました。`,
    /** The team alarm once someone took the lead over (`owner`: the owner it named). */
    taken: (name: string, waited: string, owner: string, by: string) =>
      `:white_check_mark: ${name}さんのメッセージに返信がないまま、営業時間内で${waited}経過しました（担当: ${owner}）。${by} が代わりに対応しています。`,
    /** A waiting time: 5分, 1時間20分, 2時間. */
    duration: (hours: number, minutes: number) =>
      hours === 0 ? `${minutes}分` : minutes === 0 ? `${hours}時間` : `${hours}時間${minutes}分`,
    takeOver: '代わりに対応する',
    takeOverResult: {
      done: (name: string) =>
        `${name}さんのリードを引き継ぎました。DMに届くリードのスレッドで返信してください。`,
      notStaff: 'スタッフとして登録されていないため、引き継げません。マネージャーに登録を依頼してください。',
      notWaiting: 'このメッセージにはすでに対応済みのため、引き継ぎは不要です。',
      blocked: 'お客様がLINEをブロックしているため、引き継いでも返信できません。',
      alreadyTaken: (user: string) => `このリードはすでに ${user} が対応しています。`,
      alreadyOwner: 'このリードはすでにあなたの担当です。DMのリードのスレッドから返信してください。',
      gone: 'このアラームのリードは見つかりませんでした。',
    },
  },
  /** To the lead on LINE: when a person will answer, and the office phone for urgent matters when configured. */
  autoAck: (when: string, phone: string | null) =>
    [
      'メッセージありがとうございます。ただいま営業時間外です。',
      `${when}以降に、担当者からご返信いたします。`,
      ...(phone ? [`お急ぎの場合は、お電話（${phone}）でもご連絡いただけます。`] : []),
    ].join('\n'),
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
    reasonWithNote: (reason: string, note: string) => `${reason}（${note}）`,
    lostStatus: (reason: string) => `失注 ・ ${reason}`,
    overdue: (days: number) => `${days}日超過`,
    dateWithNote: (date: string, note: string) => `${date}（${note}）`,
    noteSeparator: '・',
    /** The card's 検討時期 when the lead named a month or a day. */
    timingWithDate: (segment: string, when: string) => `${segment}（${when}）`,
    daysAgo: (n: number) => (n === 0 ? '今日' : n === 1 ? '昨日' : `${n}日前`),
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
    confirmWon: (name: string) => `${name}さんを成約にします。`,
  },
  digest: {
    heading: (date: string) => `今日の追客 ${date}`,
    sections: {
      awaiting_reply: '返信待ち',
      personal_contact: '電話・訪問',
      due_today: '今日の予定',
      neglected: '放置',
    },
    empty: '今日フォローが必要なリードはありません。',
    sectionCount: (section: string, n: number) => `${section} ${n}件`,
    /** Shown only when the list has more than one page. */
    page: (from: number, to: number, total: number) => `全${total}件中 ${from}〜${to}件目`,
    /** A digest line's facts, each with its label: the values alone (未定, 未入力) are ambiguous. */
    facts: (timing: string, amount: string, lastTouch: string) =>
      `検討時期: ${timing} ・ 金額: ${amount} ・ 最終接触: ${lastTouch}`,
    reasons: {
      awaiting_reply: (minutes: number) =>
        `メッセージに未返信（${minutes < 60 ? `${minutes}分` : `${Math.floor(minutes / 60)}時間`}）`,
      personal_contact: (overdue: number, attempt: number) =>
        `${overdue > 0 ? `${overdue}日超過の` : ''}電話・訪問の予定（${attempt}回目）`,
      due_today: (overdue: number, attempt: number) =>
        `${overdue > 0 ? `${overdue}日超過の` : ''}定期フォロー（${attempt}回目）`,
      customer: '既存顧客のアフターフォロー',
      ask_timing: '検討時期を聞きましょう',
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
    amountZero: '0円は登録できません。金額がわからない場合は空欄にしてください。',
    nextDatePast: '次回の連絡日には今日以降の日付を選んでください。',
    lostHint: (attempts: number, needed: number) =>
      `お客様から断りの返事があった場合（辞退・他社で契約・計画の中止）は、すぐに失注にできます。「連絡がつかない」は、返答がなくても${needed}回までは連絡を続けてから選びましょう（これまで${attempts}回）。`,
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
    recorded: {
      touch: (channel: string, detail: string) => `${channel}を記録しました（${detail}）`,
      attempt: (n: number) => `${n}回目`,
      timing: (segment: string) => `検討時期を「${segment}」にしました`,
      amount: (amount: string) => `金額を${amount}にしました`,
      amountCleared: '金額を未入力に戻しました',
      snooze: (date: string) => `${date}までスヌーズしました`,
      reassign: (user: string) => `担当を ${user} に変更しました`,
      won: '成約にしました',
      lost: (reason: string) => `失注にしました（${reason}）`,
    },
    lostTooEarly: (attempts: number, needed: number) =>
      `「連絡がつかない」ではまだ失注にできません。記録された連絡は${attempts}回です。返答がなくても${needed}回までは連絡を続けましょう（${needed}回連絡して返答がなければ自動で長期フォローに移ります）。お客様から断りの返事があった場合は、その理由を選んでください。`,
    notStaff: (user: string) => `${user} はスタッフとして登録されていないため、担当にできません。`,
    closed: (stage: string) => `このリードはすでに「${stage}」です。`,
    done: '更新しました。',
  },
};

export const followUpEn: typeof followUpJa = {
  escalation: {
    owner: (owner, name, waited) =>
      `:alarm_clock: ${owner} ${name}'s message has waited ${waited} in business hours without a reply. Please answer now.`,
    team: (name, waited, owner) =>
      `:rotating_light: ${name}'s message has waited ${waited} in business hours without a reply (owner: ${owner}). If you are free, please take it over.`,
    manager: (name, waited, owner) =>
      `:rotating_light: ${name}'s message has waited ${waited} in business hours without a reply (owner: ${owner}). Please check how it is being handled.`,
    reminder: (owner, name, waited) =>
      `:alarm_clock: ${owner} ${name}'s message is still waiting for a reply: ${waited} in business hours so far.`,
    taken: (name, waited, owner, by) =>
      `:white_check_mark: ${name}'s message waited ${waited} in business hours without a reply (owner: ${owner}). ${by} has taken it over.`,
    duration: (hours, minutes) => {
      const h = `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
      const m = `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
      return hours === 0 ? m : minutes === 0 ? h : `${h} ${m}`;
    },
    takeOver: 'Take over',
    takeOverResult: {
      done: (name) => `You now own ${name}. Reply in the lead's thread in your DM with the app.`,
      notStaff:
        'You are not registered as staff, so you cannot take over leads. Ask a manager to register you.',
      notWaiting: 'This message has already been handled; there is nothing to take over.',
      blocked: 'The customer has blocked the LINE account, so a reply would not reach them.',
      alreadyTaken: (user) => `${user} is already handling this lead.`,
      alreadyOwner: 'This lead is already yours. Reply in its thread in your DM with the app.',
      gone: 'The lead of this alarm could not be found.',
    },
  },
  autoAck: (when, phone) =>
    [
      'Thank you for your message. We are closed right now.',
      `Your contact person will reply from ${when}.`,
      ...(phone ? [`If it is urgent, you can also reach us by phone at ${phone}.`] : []),
    ].join('\n'),
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
    nextAttempt: (n) => `${ordinal(n)} attempt`,
    reasonWithNote: (reason, note) => `${reason} (${note})`,
    lostStatus: (reason) => `Lost: ${reason}`,
    overdue: (days) => `${plural(days, 'day')} overdue`,
    dateWithNote: (date, note) => `${date} (${note})`,
    noteSeparator: ', ',
    timingWithDate: (segment, when) => `${segment} (${when})`,
    daysAgo: (n) => (n === 0 ? 'today' : n === 1 ? 'yesterday' : `${n} days ago`),
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
    heading: (date) => `Follow-ups for ${date}`,
    sections: {
      awaiting_reply: 'Awaiting your reply',
      personal_contact: 'Call or visit',
      due_today: 'Due today',
      neglected: 'Neglected',
    },
    empty: 'No lead needs a follow-up today.',
    sectionCount: (section, n) => `${section}: ${n}`,
    page: (from, to, total) => `${from}-${to} of ${total}`,
    facts: (timing, amount, lastTouch) => `Timing: ${timing} · Amount: ${amount} · Last touch: ${lastTouch}`,
    reasons: {
      awaiting_reply: (minutes) =>
        `Unanswered message (${minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h`})`,
      personal_contact: (overdue, attempt) =>
        `Call or visit due${overdue > 0 ? `, ${plural(overdue, 'day')} overdue` : ''} (${ordinal(attempt)} attempt)`,
      due_today: (overdue, attempt) =>
        `Follow-up due${overdue > 0 ? `, ${plural(overdue, 'day')} overdue` : ''} (${ordinal(attempt)} attempt)`,
      customer: 'After-sales follow-up',
      ask_timing: 'Ask when they plan to buy',
      neglected: (days) => `No contact for ${plural(days, 'day')}`,
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
    amountZero: 'An amount of 0 yen cannot be saved. Leave the field empty if the amount is unknown.',
    nextDatePast: 'Choose today or a later day for the next contact.',
    lostHint: (attempts, needed) =>
      `If the customer said no (declined, signed with a competitor, dropped the plan), you can close the lead now. Choose "Cannot reach them" only after ${plural(needed, 'attempt')} without an answer (${attempts} so far).`,
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
    recorded: {
      touch: (channel, detail) => `${channel} logged (${detail})`,
      attempt: (n) => `attempt ${n}`,
      timing: (segment) => `Purchase timing set to "${segment}"`,
      amount: (amount) => `Amount set to ${amount}`,
      amountCleared: 'Amount cleared',
      snooze: (date) => `Snoozed until ${date}`,
      reassign: (user) => `Owner changed to ${user}`,
      won: 'Closed as won',
      lost: (reason) => `Closed as lost (${reason})`,
    },
    lostTooEarly: (attempts, needed) =>
      `Not yet for "Cannot reach them": ${plural(attempts, 'attempt')} recorded. Keep trying until ${needed} (after ${plural(needed, 'unanswered attempt')} the lead moves to nurture by itself). If the customer said no, choose that reason instead.`,
    notStaff: (user) => `${user} is not registered as staff and cannot own leads.`,
    closed: (stage) => `This lead is already ${stage}.`,
    done: 'Updated.',
  },
};

/** What a lead's thread is told about follow-up (keys of LeadNotice). */
export const followUpNoticesJa = {
  lead_won: (by: string) => `${by} が成約にしました。`,
  lead_won_handover: (by: string, handover: string) =>
    `${by} が成約にしました。引き渡し日: ${handover}。既存顧客としてアフターフォローの予定に入りました。`,
  lead_lost: (by: string, reason: string) => `${by} が失注にしました。理由: ${reason}`,
  moved_to_nurture: (attempts: number) =>
    `${attempts}回連絡して返答がないため、長期フォロー（ステップ配信などの低負荷な接触）に移しました。リードは残ります。`,
  back_from_nurture: 'お客様から反応があったため、長期フォローから通常の追客に戻しました。',
  segment_nearer: (from: string, to: string) =>
    `検討時期が近づきました: ${from} → ${to}。連絡の方法と頻度を見直しましょう。`,
  lead_taken_over: (by: string) =>
    `返信待ちが続いていたため、${by} がアラームからこのリードを引き継ぎました。今後の対応は ${by} が行います。`,
  took_over_lead: (from: string) =>
    `返信待ちのアラームから引き継いだリードです（前の担当: ${from}）。お客様が返信を待っているので、このスレッドで返信してください。`,
  alarm_thread_hint:
    'このスレッドへの書き込みはお客様に届きません。対応できる人はアラームの「代わりに対応する」を押してください。担当になると、DMに届くリードのスレッドから返信できます。',
  alarm_thread_taken: (by: string) =>
    `このスレッドへの書き込みはお客様に届きません。このリードは ${by} が引き継いで対応しています。`,
};

export const followUpNoticesEn: typeof followUpNoticesJa = {
  lead_won: (by) => `${by} closed this lead as won.`,
  lead_won_handover: (by, handover) =>
    `${by} closed this lead as won. Handover: ${handover}. After-sales follow-ups are now scheduled.`,
  lead_lost: (by, reason) => `${by} closed this lead as lost. Reason: ${reason}`,
  moved_to_nurture: (attempts) =>
    `No answer after ${plural(attempts, 'attempt')}: moved to long-term nurture (low-load contact such as step messages). The lead stays in the system.`,
  back_from_nurture: 'The customer responded, so the lead is back from nurture to active follow-up.',
  segment_nearer: (from, to) =>
    `Purchase timing is getting closer: ${from} → ${to}. Review how and how often to contact.`,
  lead_taken_over: (by) =>
    `The message was left waiting, so ${by} took this lead over from the alarm. ${by} handles it from now on.`,
  took_over_lead: (from) =>
    `You took this lead over from the alarm (previous owner: ${from}). The customer is waiting: reply in this thread.`,
  alarm_thread_hint:
    'Messages in this thread do not reach the customer. To help, press "Take over" on the alarm; you then reply in the lead\'s thread in your DM with the app.',
  alarm_thread_taken: (by) =>
    `Messages in this thread do not reach the customer. ${by} has taken this lead over.`,
};

import { plural } from './english.ts';

/**
 * The words of step sequences (ステップ配信): what a lead reads on LINE outside the sequences file
 * (the questionnaire, the answers to keywords), what a lead's thread is told, and the quota notices.
 */
export const sequencesJa = {
  sequenceLead: {
    timingAgain:
      'ご無沙汰しております。以前うかがったご検討時期を過ぎましたので、よろしければ今のご予定を教えてください。\nご検討時期は？',
    /** The quick-reply labels of 「ご検討時期は？」 (LINE allows 20 characters). */
    timingChoices: {
      within_1m: '1ヶ月以内',
      within_3m: '3ヶ月以内',
      within_6m: '半年以内',
      within_1y: '1年以内',
      over_1y: '1年以上',
      undecided: '未定',
    },
    timingThanks: '教えていただきありがとうございます。\nご検討の時期に合わせて、役立つ情報をお届けします。',
    interestQuestion: '特に気になることは？',
    interestThanks: 'ありがとうございます。参考にさせていただきます。',
    optedOut: (optIn: string) =>
      `ステップ配信を停止しました。\nこのトークでのご相談やお問い合わせは、これまでどおりお受けします。\n再開するときは「${optIn}」とお送りください。`,
    optedIn: 'ステップ配信を再開しました。\nご検討に役立つ情報を、ときどきお届けします。',
  },
  quota: {
    warning: (percent: number, used: string, limit: string, month: string) =>
      `:warning: LINEの今月（${month}）のメッセージ通数が上限の${percent}%に達しました（${used}通／${limit}通）。ステップ配信の量を確認してください。`,
    exhausted: (used: string, limit: string, month: string) =>
      `:no_entry: LINEの今月（${month}）のメッセージ通数が上限に達しました（${used}通／${limit}通）。ステップ配信は通数が戻るまで送りません。担当者の返信は止まりません。`,
    held: (month: string) =>
      `:no_entry: LINEが今月（${month}）の通数上限を理由にステップ配信を断りました。通数が戻るまでステップ配信を保留します（配信は失われません）。担当者の返信は止まりません。上限はLINE Official Account Managerのプランで確認できます。`,
    resumed: (month: string) =>
      `:white_check_mark: LINEのメッセージ通数が戻ったため、保留していたステップ配信を再開しました（${month}）。`,
  },
};

export const sequencesEn: typeof sequencesJa = {
  sequenceLead: {
    timingAgain:
      'It has been a while. The timing you mentioned has passed, so if you like, please tell us your current plans.\nWhen are you thinking of buying?',
    timingChoices: {
      within_1m: 'Within 1 month',
      within_3m: 'Within 3 months',
      within_6m: 'Within 6 months',
      within_1y: 'Within a year',
      over_1y: 'Over a year',
      undecided: 'Undecided',
    },
    timingThanks: 'Thank you for letting us know.\nWe will send information that fits your timing.',
    interestQuestion: 'What interests you most?',
    interestThanks: 'Thank you. We will keep it in mind.',
    optedOut: (optIn) =>
      `Step messages are stopped.\nYou can still chat with us here as before.\nTo receive them again, send "${optIn}".`,
    optedIn: 'Step messages are back on.\nWe will send useful information from time to time.',
  },
  quota: {
    warning: (percent, used, limit, month) =>
      `:warning: LINE messages this month (${month}) reached ${percent}% of the limit (${used} of ${limit}). Check how much the step sequences send.`,
    exhausted: (used, limit, month) =>
      `:no_entry: LINE messages this month (${month}) reached the limit (${used} of ${limit}). Step messages wait until quota returns. Rep replies are not affected.`,
    held: (month) =>
      `:no_entry: LINE refused a step message for the monthly limit (${month}). Step messages are held until quota returns (none is lost). Rep replies are not affected. The plan's limit is shown in LINE Official Account Manager.`,
    resumed: (month) =>
      `:white_check_mark: LINE quota is back: held step messages are going out again (${month}).`,
  },
};

/** What a lead's thread is told about its sequences (keys of LeadNotice). */
export const sequenceNoticesJa = {
  step_sent: (name: string, step: number, steps: number) => `ステップ配信: ${name} ${step}/${steps}`,
  sequence_paused_by_reply: (name: string) =>
    `お客様から返信があったため、ステップ配信「${name}」を一時停止しました。対応をお願いします。`,
  sequence_resumed_auto: (name: string, days: number) =>
    `お客様からの返信が${days}日なかったため、ステップ配信「${name}」を再開しました。`,
  sequence_resumed: (name: string, by: string) => `${by} がステップ配信「${name}」を再開しました。`,
  sequence_paused: (name: string, by: string) => `${by} がステップ配信「${name}」を一時停止しました。`,
  sequence_stopped: (name: string, by: string) => `${by} がステップ配信「${name}」を停止しました。`,
  sequence_enrolled: (name: string, by: string) => `${by} がステップ配信「${name}」を開始しました。`,
  tags_added: (tags: string, by: string) => `${by} がタグを追加しました: ${tags}`,
  tags_removed: (tags: string, by: string) => `${by} がタグを外しました: ${tags}`,
  lead_opted_out:
    'お客様が配信停止のキーワードを送ったため、ステップ配信をすべて停止しました。確認のメッセージはお客様に送信済みです。1対1のトークはこれまでどおり使えます。',
  lead_opted_in: 'お客様が配信再開のキーワードを送ったため、ステップ配信を受け取れる状態に戻しました。',
  questionnaire_timing: (label: string) => `お客様がアンケートに回答しました。ご検討時期: ${label}`,
  questionnaire_interest: (interest: string) =>
    `お客様がアンケートに回答しました。特に気になること: ${interest}`,
};

export const sequenceNoticesEn: typeof sequenceNoticesJa = {
  step_sent: (name, step, steps) => `Step message: ${name} ${step}/${steps}`,
  sequence_paused_by_reply: (name) =>
    `The customer replied, so the step sequence "${name}" is paused. Please take it from here.`,
  sequence_resumed_auto: (name, days) =>
    `No message from the customer for ${plural(days, 'day')}, so the step sequence "${name}" resumed.`,
  sequence_resumed: (name, by) => `${by} resumed the step sequence "${name}".`,
  sequence_paused: (name, by) => `${by} paused the step sequence "${name}".`,
  sequence_stopped: (name, by) => `${by} stopped the step sequence "${name}".`,
  sequence_enrolled: (name, by) => `${by} started the step sequence "${name}".`,
  tags_added: (tags, by) => `${by} added tags: ${tags}`,
  tags_removed: (tags, by) => `${by} removed tags: ${tags}`,
  lead_opted_out:
    'The customer sent the opt-out keyword, so all step sequences stopped. The confirmation was sent to the customer. One-to-one chat works as before.',
  lead_opted_in: 'The customer sent the opt-in keyword: step sequences may reach them again.',
  questionnaire_timing: (label) => `The customer answered the questionnaire. Purchase timing: ${label}`,
  questionnaire_interest: (interest) => `The customer answered the questionnaire. Main interest: ${interest}`,
};

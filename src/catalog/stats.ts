import { plural } from './english.ts';

/** Managers' numbers: `/tsuikyaku stats`, its charts, and the weekly report. */

export const statsJa = {
  stats: {
    working: '集計中…',
    title: (period: string) => `数字（${period}）`,
    titleFor: (rep: string, period: string) => `${rep} の数字（${period}）`,
    weeklyTitle: (period: string) => `先週の数字（${period}）`,
    noData: 'データがありません。',
    noDataPeriod: 'この期間のデータがありません。',
    speedHeading: '初回返信',
    speedNote: '会話を始めたリードのメッセージへの最初の対応まで。営業時間内の経過時間です。',
    inHours: '営業時間内に届いた分',
    outOfHours: '営業時間外に届いた分',
    speedLine: (opened: number, median: string, p90: string) =>
      `${opened}件 ・ 中央値 ${median} ・ 90%が${p90}以内`,
    speedNoneAnswered: (opened: number) => `${opened}件 ・ まだ返信がありません`,
    buckets: {
      under_5m: '5分未満',
      under_1h: '5〜60分',
      under_4h: '1〜4時間',
      under_24h: '4〜24時間',
      over_24h: '24時間超',
      unanswered: '未返信',
    },
    count: (label: string, n: number) => `${label} ${n}件`,
    activityHeading: '追客活動',
    activityLine: (touches: number, leads: number, perLead: string) =>
      `接触 ${touches}回（リード${leads}件、1件あたり${perLead}回）`,
    leadReplies: (n: number) => `リードからのメッセージ ${n}件`,
    channelOutcomes: (channel: string, outcomes: string) => `${channel}: ${outcomes}`,
    outcomeCount: (outcome: string, n: number) => `${outcome} ${n}回`,
    fourTouch: (givenUp: number, kept: number, percent: number) =>
      `4回ルール: 返事がないまま長期フォロー・失注になった${givenUp}件のうち、先に4回以上連絡していたのは${kept}件（${percent}%）`,
    fourTouchNone: '4回ルール: 返事がないまま長期フォロー・失注になったリードはありません',
    pipelineHeading: 'パイプライン',
    nowBySegment: '検討時期別（現在）',
    nowByBand: '金額帯別（現在）',
    bandUnknown: '金額未入力',
    neglected: (n: number) => `放置 ${n}件`,
    neglectedLead: (name: string, owner: string, days: string) => `${name}（${owner}・${days}接触なし）`,
    unowned: 'チーム',
    moves: (nearer: number, further: number) =>
      `検討時期の変化: 近づいた ${nearer}件 ・ 遠のいた ${further}件`,
    flow: (added: number, won: number, lost: number) => `新規 ${added}件 ・ 成約 ${won}件 ・ 失注 ${lost}件`,
    conversionHeading: '新規リードの成約（最初の検討時期別）',
    conversion: (segment: string, won: number, leads: number) => `${segment} ${won}/${leads}件`,
    stepsHeading: 'ステップ配信（送信から72時間以内の反応）',
    stepLine: (
      sequence: string,
      step: number,
      sent: number,
      replied: number,
      optedOut: number,
      blocked: number,
    ) =>
      `${sequence} ${step}通目: 送信 ${sent}件 ・ 返信 ${replied}件 ・ 配信停止 ${optedOut}件 ・ ブロック ${blocked}件`,
    quotaHeading: 'LINEの通数（今月）',
    quotaLine: (used: number, limit: string, forecast: number) =>
      `${used}通 ・ 上限 ${limit} ・ このペースなら月末に${forecast}通`,
    quotaUnlimited: 'なし',
    quotaLimit: (n: number) => `${n}通`,
    quotaUnknown: 'LINEから通数を取得できませんでした。',
    repsHeading: '担当者別',
    repLine: (rep: string, leads: number, median: string, touches: number, neglected: number, won: number) =>
      `${rep} 担当 ${leads}件 ・ 初回返信の中央値 ${median} ・ 接触 ${touches}回 ・ 放置 ${neglected}件 ・ 成約 ${won}件`,
    noMedian: '返信なし',
    chartsFollow: 'グラフはこのあと投稿します。',
    chartsInDm: 'この会話には投稿できないため、グラフはDMに送りました。',
    chartMissing: (reason: string) => `グラフを投稿できませんでした（${reason}）。数字は上のとおりです。`,
    chartResponses: (period: string) => `初回返信までの時間（${period}）`,
    chartTrend: '週ごとの接触とリードからのメッセージ（直近8週）',
    chartTouches: '接触',
    chartReplies: 'リードからのメッセージ',
    chartLeads: '件数',
    chartWeek: (day: string) => `${day}週`,
    othersNumbers: (cmd: string) =>
      `ほかの担当者の数字は表示できません。自分の数字は \`${cmd} stats\` で表示できます。`,
    unknownWord: (word: string) => `「${word}」は期間として使えません。`,
    reversed: (word: string) => `「${word}」: 終わりの日が始まりの日より前です。`,
    tooLong: (word: string, days: number) => `「${word}」: 期間は${days}日までにしてください。`,
    usage: (cmd: string) =>
      [
        `使い方: \`${cmd} stats [期間] [@担当者]\``,
        '期間: today（今日）・ week（今週、既定）・ month（今月）・ quarter（四半期）・ 2026-11 ・ 2026-11-01..2026-11-15',
      ].join('\n'),
    failed: '集計できませんでした。時間をおいてもう一度お試しください。',
    timedOut:
      '集計に時間がかかりすぎたため中止しました。期間を短くするか、時間をおいてもう一度お試しください。',
  },
};

export const statsEn: typeof statsJa = {
  stats: {
    working: 'Counting…',
    title: (period) => `Numbers (${period})`,
    titleFor: (rep, period) => `Numbers of ${rep} (${period})`,
    weeklyTitle: (period) => `Last week's numbers (${period})`,
    noData: 'No data.',
    noDataPeriod: 'No data for this period.',
    speedHeading: 'First response',
    speedNote:
      'Time from a lead message that opened a conversation to the first answer, counted in business hours.',
    inHours: 'Arrived in business hours',
    outOfHours: 'Arrived out of hours',
    speedLine: (opened, median, p90) =>
      `${plural(opened, 'conversation')}, median ${median}, 90% within ${p90}`,
    speedNoneAnswered: (opened) => `${plural(opened, 'conversation')}, none answered yet`,
    buckets: {
      under_5m: 'Under 5 min',
      under_1h: '5-60 min',
      under_4h: '1-4 h',
      under_24h: '4-24 h',
      over_24h: 'Over 24 h',
      unanswered: 'Unanswered',
    },
    count: (label, n) => `${label}: ${n}`,
    activityHeading: 'Follow-up activity',
    activityLine: (touches, leads, perLead) =>
      `${plural(touches, 'touch', 'touches')} (${plural(leads, 'lead')}, ${perLead} per lead)`,
    leadReplies: (n) => `${plural(n, 'message')} from leads`,
    channelOutcomes: (channel, outcomes) => `${channel}: ${outcomes}`,
    outcomeCount: (outcome, n) => `${outcome} ${n}`,
    fourTouch: (givenUp, kept, percent) =>
      `4-touch rule: of ${plural(givenUp, 'lead')} moved to nurture or lost without an answer, ${kept} had 4 or more attempts first (${percent}%)`,
    fourTouchNone: '4-touch rule: no lead was moved to nurture or lost without an answer',
    pipelineHeading: 'Pipeline',
    nowBySegment: 'By purchase timing (now)',
    nowByBand: 'By amount band (now)',
    bandUnknown: 'No amount',
    neglected: (n) => `Neglected: ${n}`,
    neglectedLead: (name, owner, days) => `${name} (${owner}, no contact for ${days})`,
    unowned: 'team',
    moves: (nearer, further) => `Purchase timing: ${nearer} nearer, ${further} further`,
    flow: (added, won, lost) => `New ${added}, won ${won}, lost ${lost}`,
    conversionHeading: 'New leads won, by their first purchase timing',
    conversion: (segment, won, leads) => `${segment} ${won}/${leads}`,
    stepsHeading: 'Step sequences (responses within 72 hours of sending)',
    stepLine: (sequence, step, sent, replied, optedOut, blocked) =>
      `${sequence} step ${step}: sent ${sent}, replied ${replied}, opted out ${optedOut}, blocked ${blocked}`,
    quotaHeading: 'LINE messages (this month)',
    quotaLine: (used, limit, forecast) =>
      `${plural(used, 'message')}, limit ${limit}, about ${forecast} by month end at this pace`,
    quotaUnlimited: 'none',
    quotaLimit: (n) => plural(n, 'message'),
    quotaUnknown: 'Could not read the message count from LINE.',
    repsHeading: 'By rep',
    repLine: (rep, leads, median, touches, neglected, won) =>
      `${rep}: ${plural(leads, 'lead')}, first response median ${median}, ${plural(touches, 'touch', 'touches')}, neglected ${neglected}, won ${won}`,
    noMedian: 'no answer',
    chartsFollow: 'Charts follow.',
    chartsInDm: 'The bot cannot post in this conversation, so the charts went to your DM.',
    chartMissing: (reason) => `The chart could not be posted (${reason}). The numbers above are complete.`,
    chartResponses: (period) => `Time to first response (${period})`,
    chartTrend: 'Touches and lead messages per week (last 8 weeks)',
    chartTouches: 'Touches',
    chartReplies: 'Lead messages',
    chartLeads: 'Count',
    chartWeek: (day) => `Week of ${day}`,
    othersNumbers: (cmd) => `You can only see your own numbers: \`${cmd} stats\`.`,
    unknownWord: (word) => `"${word}" is not a period.`,
    reversed: (word) => `"${word}": the end is before the start.`,
    tooLong: (word, days) => `"${word}": a period can be at most ${plural(days, 'day')}.`,
    usage: (cmd) =>
      [
        `Usage: \`${cmd} stats [period] [@rep]\``,
        'Period: today, week (default), month, quarter, 2026-11, 2026-11-01..2026-11-15',
      ].join('\n'),
    failed: 'The numbers could not be counted. Please try again in a moment.',
    timedOut: 'Counting took too long and was stopped. Try a shorter period, or again in a moment.',
  },
};

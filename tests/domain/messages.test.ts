import { describe, expect, it } from 'vitest';
import type { Catalog, Locale } from '../../src/messages.ts';
import { catalog } from '../../src/messages.ts';

type Leaf = { path: string; value: unknown };

/** Every leaf of a catalog (strings and functions), keyed by its dotted path. */
function leaves(node: unknown, path = ''): Leaf[] {
  if (typeof node === 'object' && node !== null) {
    return Object.entries(node).flatMap(([key, value]) => leaves(value, path ? `${path}.${key}` : key));
  }
  return [{ path, value: node }];
}

/** The shape of a catalog: each leaf path with `string` or `function/<arity>`. */
function shapeOf(node: unknown): Record<string, string> {
  return Object.fromEntries(
    leaves(node).map(({ path, value }) => [
      path,
      typeof value === 'function' ? `function/${value.length}` : typeof value,
    ]),
  );
}

/**
 * Sample arguments for every message function. Every argument is distinctive so the test can
 * check that the message actually shows it. A new function must be added here.
 */
const sampleArgs: Record<string, unknown[]> = {
  'stats.title': ['11月30日(月)〜12月6日(日)'],
  'stats.titleFor': ['<@U123>', '11月30日(月)〜12月6日(日)'],
  'stats.weeklyTitle': ['11月23日(月)〜11月29日(日)'],
  periodRange: ['11月30日(月)', '12月6日(日)'],
  'stats.chartResponses': ['11月2日(月)〜11月8日(日)'],
  'stats.speedLine': [12, '14分', '2時間10分'],
  'stats.speedNoneAnswered': [3],
  'stats.count': ['5分未満', 4],
  'stats.activityLine': [45, 12, '3.8'],
  'stats.leadReplies': [20],
  'stats.channelOutcomes': ['電話', '話せた 5回'],
  'stats.outcomeCount': ['話せた', 5],
  'stats.fourTouch': [6, 4, 67],
  'stats.neglected': [4],
  'stats.neglectedLead': ['山田花子', '<@U123>', '12日'],
  'stats.moves': [3, 1],
  'stats.flow': [8, 2, 3],
  'stats.conversion': ['1ヶ月以内', 1, 3],
  'stats.stepLine': ['`welcome`', 2, 10, 3, 1, 4],
  'stats.quotaLine': [800, '5,000通', 950],
  'stats.quotaLimit': [500],
  'stats.repLine': ['<@U123>', 12, '15分', 30, 2, 1],
  'stats.chartMissing': ['Slack error: missing_scope'],
  'stats.chartWeek': ['11月30日(月)'],
  'stats.othersNumbers': ['/tsuikyaku'],
  'stats.unknownWord': ['yesterday'],
  'stats.reversed': ['2026-11-15..2026-11-01'],
  'stats.tooLong': ['2025-01-01..2026-06-01', 366],
  'stats.usage': ['/tsuikyaku'],
  'card.title': ['山田花子'],
  'card.claimedBy': ['<@U123>'],
  'card.newLead': ['山田花子'],
  'inbound.file': ['見積書.pdf'],
  'inbound.unsupported': ['poll'],
  'inbound.seconds': [42],
  'inbound.cut': [420],
  history: [7],
  'notice.lead_reassigned': ['<@U_FROM>', '<@U_TO>'],
  'notice.lead_owner_set': ['<@U_TO>'],
  'notice.lead_owner_cleared': ['<@U_FROM>'],
  'notice.push_failed': ['HTTP 400 invalid text'],
  deliveryAlert: ['山田太郎', 'channel_not_found'],
  'actionResult.closed': ['成約済み'],
  'actionResult.lostTooEarly': [2, 4],
  'actionResult.notStaff': ['<@U123>'],
  autoAck: ['11月30日(月) 9:00', '03-1234-5678'],
  'command.leadMore': [5],
  'command.leadNone': ['山田'],
  'command.leadNoneOwn': ['佐藤'],
  'command.usageLead': ['/tsuikyaku'],
  'digest.heading': ['12月1日(火)'],
  'digest.sectionCount': ['返信待ち', 7],
  'digest.facts': ['半年以内', '3,500万円', '3日前'],
  'leads.awaitingFor': ['2時間15分'],
  'leads.minutes': [45],
  'leads.hours': [2, 15],
  'leads.days': [3],
  'leads.neglectedFor': [31],
  'leads.page': [11, 20, 23],
  'leads.total': [7],
  'leads.othersLeads': ['/tsuikyaku'],
  'leads.unknownWord': ['急ぎ'],
  'leads.repeatedWord': ['3ヶ月以内'],
  'leads.usage': ['/tsuikyaku', 'SEGMENT-NAMES', 'STAGE-NAMES'],
  'team.totals': [6, 9],
  'team.leads': [41],
  'team.awaitingCount': [6],
  'team.neglectedCount': [9],
  'team.namesAndMore': ['山田太郎、鈴木花子', 3],
  'team.moreReps': [12],
  'team.hint': ['/tsuikyaku'],
  'digest.page': [21, 40, 45],
  'digest.reasons.awaiting_reply': [42],
  'digest.reasons.due_today': [3, 2],
  'digest.reasons.neglected': [31],
  'digest.reasons.personal_contact': [3, 2],
  'escalation.manager': ['山田', '1時間20分', '<@U1>'],
  'escalation.owner': ['<@U1>', '山田', '5分'],
  'escalation.team': ['山田', '15分', '<@U1>'],
  'escalation.reminder': ['<@U1>', '山田', '2時間5分'],
  'escalation.taken': ['山田', '15分', '<@U1>', '<@U_TAKER>'],
  'escalation.duration': [2, 15],
  'escalation.takeOverResult.done': ['山田花子'],
  'escalation.takeOverResult.alreadyTaken': ['<@U_TAKER>'],
  'notice.lead_taken_over': ['<@U_TAKER>'],
  'notice.took_over_lead': ['<@U_FROM>'],
  'notice.alarm_thread_taken': ['<@U_TAKER>'],
  'followUp.confirmWon': ['山田'],
  'followUp.daysAgo': [12],
  'followUp.nextAttempt': [3],
  'followUp.timingWithDate': ['1ヶ月以内', '12月'],
  'notice.moved_to_nurture': [4],
  'notice.segment_nearer': ['1年以内', '半年以内'],
  'command.help': ['/tsuikyaku'],
  'command.unknown': ['frobnicate', '/tsuikyaku'],
  'command.usageAdd': ['/tsuikyaku'],
  'command.usageRemove': ['/tsuikyaku'],
  'command.usageStaff': ['/tsuikyaku'],
  'command.added': ['<@U123>', 'manager-role'],
  'command.removed': ['<@U123>', 3],
  'command.removedTo': ['<@U123>', 3, '<@U456>'],
  'command.successorNotRep': ['<@U456>'],
  'command.notStaff': ['<@U123>'],
  'claim.alreadyClaimed': ['<@U123>'],
  'claim.done': ['山田花子'],
  'notice.lead_erased': ['<@U_MANAGER>'],
  'notice.step_sent': ['3ヶ月以内のお客様へ', 2, 5],
  'notice.sequence_paused_by_reply': ['3ヶ月以内のお客様へ'],
  'notice.sequence_resumed_auto': ['3ヶ月以内のお客様へ', 14],
  'notice.sequence_resumed': ['3ヶ月以内のお客様へ', '<@U_REP>'],
  'notice.sequence_paused': ['3ヶ月以内のお客様へ', '<@U_REP>'],
  'notice.sequence_stopped': ['3ヶ月以内のお客様へ', '<@U_REP>'],
  'notice.sequence_enrolled': ['3ヶ月以内のお客様へ', '<@U_REP>'],
  'notice.questionnaire_timing': ['3ヶ月以内'],
  'notice.questionnaire_interest': ['資金計画'],
  'quota.warning': [80, '4,000', '5,000', '2026-12'],
  'quota.exhausted': ['5,000', '5,000', '2026-12'],
  'quota.held': ['2026-12'],
  'quota.resumed': ['2026-12'],
  'sequencesCommand.membersTitle': [3],
  'sequencesCommand.memberNext': ['ステップ2/5', '12月2日(水) 10:00'],
  'sequencesCommand.memberPaused': ['ステップ2/5'],
  'sequencesCommand.moreMembers': [4],
  'notice.tags_added': ['資金計画、デザイン', '<@U_REP>'],
  'notice.tags_removed': ['二世帯', '<@U_REP>'],
  'sequenceLead.optedOut': ['配信再開'],
  'erasure.usage': ['/tsuikyaku'],
  'erasure.none': ['山田'],
  'erasure.more': [10],
  'erasure.candidate': ['山田花子', '<@U_OWNER>', '11月2日(月)'],
  'erasure.removesMessages': [12],
  'erasure.removesTouches': [7],
  'erasure.removesEvents': [15],
  'erasure.removesOutbox': [21],
  'erasure.removesDeadLetters': [2],
  'erasure.removesHistoryNotes': [3],
  'erasure.slack': [2],
  'erasure.done': [12, 7],
  'notice.lead_won': ['<@U_WINNER>'],
  'notice.lead_won_handover': ['<@U_WINNER>', '3月1日(月)'],
  'notice.lead_lost': ['<@U_LOSER>', '他社で契約（価格）'],
  'modal.lostHint': [2, 4],
  'followUp.reasonWithNote': ['他社で契約', '価格で負けた'],
  'followUp.lostStatus': ['他社で契約（価格）'],
  'followUp.overdue': [3],
  'followUp.dateWithNote': ['2026-12-01', '3日超過'],
  'card.moved': ['<@U_NEW>'],
  'notice.reply_moved': ['<@U_NEW>'],
  'actionResult.recorded.touch': ['電話', '2回目'],
  'actionResult.recorded.attempt': [2],
  'actionResult.recorded.timing': ['3ヶ月以内'],
  'actionResult.recorded.amount': ['3,500万円'],
  'actionResult.recorded.snooze': ['12月4日(金)'],
  'actionResult.recorded.reassign': ['<@U_NEW>'],
  'actionResult.recorded.lost': ['他社で契約'],
  'card.movedTitle': ['山田花子'],
  'card.handedOver': ['山田花子'],
  'sequenceCard.line': ['3ヶ月以内のお客様へ', '配信中'],
  'sequenceCard.nextStep': [2, 5, '12月3日(木) 10:00'],
  'sequenceCard.autoResume': ['12月17日(木) 10:00'],
  'sequenceCard.stopConfirm.text': ['3ヶ月以内のお客様へ'],
  'sequenceCard.tagModal.freeHint': [20],
  'sequenceCard.result.paused': ['3ヶ月以内のお客様へ'],
  'sequenceCard.result.resumed': ['半年以内のお客様へ'],
  'sequenceCard.result.stopped': ['1年以内のお客様へ'],
  'sequenceCard.result.enrolled': ['見学会のご案内'],
  'sequenceCard.result.tagsAdded': ['資金計画、平屋'],
  'sequenceCard.result.tagsStarted': ['資金計画のご案内'],
  'sequenceCard.result.tagRemoved': ['土地探し'],
  'sequencesCommand.heading': ['3ヶ月以内のお客様へ', 'nurture-3m', '検討時期'],
  'sequencesCommand.counts': [12, 7, 2, 3, 4],
  'sequencesCommand.sent': ['12月', 9],
  'sequencesCommand.more': [6],
  'sequencesCommand.hint': ['/tsuikyaku'],
  'sequencesCommand.unknown': ['nurture-x', '`nurture-3m`, `welcome`'],
  'sequencesCommand.previewTitle': ['3ヶ月以内のお客様へ'],
  'sequencesCommand.previewNote': ['サンプル'],
  'sequencesCommand.audience': ['検討時期: 3ヶ月以内'],
  'sequencesCommand.audienceSegments': ['3ヶ月以内、半年以内'],
  'sequencesCommand.audienceTags': ['資金計画'],
  'sequencesCommand.startAt': ['2026-12-12 10:00'],
  'sequencesCommand.step': [2, 5],
  'sequencesCommand.fromStart': ['3日'],
  'sequencesCommand.fromPrevious': ['7日'],
  'sequencesCommand.fromHandover': ['30日'],
  'sequencesCommand.atTime': ['開始から3日後', '10:00'],
  'sequencesCommand.minutes': [45],
  'sequencesCommand.hours': [6],
  'sequencesCommand.days': [3],
  'sequencesCommand.stepTags': ['資金計画'],
  'sequencesCommand.message.template': ['見学会のご案内'],
  'sequencesCommand.message.flex': ['施工事例'],
  'sequencesCommand.moreSteps': [8],
  'export.preparing': ['リード', '11月23日(月)〜11月29日(日)'],
  'export.usage': ['/tsuikyaku', 366],
  'export.unknownDataset': ['顧客'],
  'export.badPeriod': ['来週'],
  'export.reversedPeriod': ['2026-11-30..2026-11-01'],
  'export.tooLongPeriod': ['2025-01-01..2026-12-31', 366],
  'export.title': ['リード', '11月23日(月)〜11月29日(日)'],
  'export.comment': ['リード', '11月23日(月)〜11月29日(日)', 42],
  'export.empty': ['接触履歴', '11月25日(水)'],
  'export.failed': ['メッセージ', '11月25日(水)', 'Slack error: not_in_channel'],
};

const locales: Locale[] = ['ja', 'en'];

describe('message catalogs', () => {
  it('have the same keys in ja and en, with functions in the same places and of the same arity', () => {
    expect(shapeOf(catalog('en'))).toEqual(shapeOf(catalog('ja')));
  });

  it('contain nothing but strings and functions', () => {
    for (const locale of locales) {
      for (const { path, value } of leaves(catalog(locale))) {
        expect(['string', 'function'], `${locale}:${path}`).toContain(typeof value);
      }
    }
  });

  it.each(locales)('%s has no empty strings', (locale) => {
    for (const { path, value } of leaves(catalog(locale))) {
      if (typeof value === 'string') expect(value.trim(), `${locale}:${path}`).not.toBe('');
    }
  });

  it('has sample arguments for exactly the message functions', () => {
    const functionPaths = leaves(catalog('ja'))
      .filter(({ value }) => typeof value === 'function')
      .map(({ path }) => path)
      .sort();
    expect(Object.keys(sampleArgs).sort()).toEqual(functionPaths);
    for (const path of functionPaths) {
      const fn = leaves(catalog('ja')).find((leaf) => leaf.path === path)?.value as (
        ...a: unknown[]
      ) => string;
      expect(sampleArgs[path], path).toHaveLength(fn.length);
    }
  });

  it.each(locales)('%s: every function returns a non-empty string that shows its arguments', (locale) => {
    for (const { path, value } of leaves(catalog(locale))) {
      if (typeof value !== 'function') continue;
      const args = sampleArgs[path] ?? [];
      const text: unknown = value(...args);
      expect(typeof text, `${locale}:${path}`).toBe('string');
      expect((text as string).trim(), `${locale}:${path}`).not.toBe('');
      for (const arg of args) expect(text as string, `${locale}:${path}`).toContain(String(arg));
    }
  });

  it.each(locales)('%s: command.removed leaves the count out when no leads moved', (locale) => {
    const text = catalog(locale).command.removed('sato', 0);
    expect(text).toContain('sato');
    expect(text).not.toMatch(/\d/);
  });

  it('has role names for every staff role in both languages', () => {
    for (const locale of locales) {
      expect(Object.keys(catalog(locale).command.roles).sort()).toEqual(['manager', 'rep']);
    }
  });

  it('has no Japanese left in the English catalog', () => {
    const japanese = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;
    for (const { path, value } of leaves(catalog('en'))) {
      const text = typeof value === 'function' ? value(...(sampleArgs[path] ?? []).map(asciiArg)) : value;
      expect(String(text), path).not.toMatch(japanese);
    }
  });

  it('falls back to Japanese for any locale other than en', () => {
    expect(catalog('ja').leadFallbackName).toBe('LINEユーザー');
    expect(catalog('en').leadFallbackName).toBe('LINE user');
    expect(catalog('fr' as Locale)).toBe(catalog('ja'));
  });

  it('has the fallback names used for a LINE sender within 20 characters', () => {
    for (const locale of locales) {
      const t: Catalog = catalog(locale);
      expect(Array.from(t.senderFallbackName).length).toBeLessThanOrEqual(20);
      expect(t.senderFallbackName).not.toMatch(/LINE/i);
    }
  });
});

/**
 * The form rules of shared/COPY-JA.md, on every message in both languages with sample values, and
 * again with every number set to 1 (where English plurals go wrong).
 */
describe('copy form (shared/COPY-JA.md)', () => {
  /** Japanese words and Japanese punctuation; ・ is left out: 「検討時期: 未定 ・ 金額: 未入力」 spaces it on purpose. */
  const japanese = '\\u3000-\\u30fa\\u30fc-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uff00-\\uffef';
  const spaceBetweenJapanese = new RegExp(`[${japanese}] +[${japanese}]`);
  const fullWidthOrJapanese = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
  const unfilled = /\$\{|\bundefined\b|\bnull\b|\bNaN\b|\[object /;

  /** Every message as a reader sees it: `path` and the text, once with the samples and once with 1s. */
  function rendered(locale: Locale): Array<{ path: string; text: string }> {
    return leaves(catalog(locale)).flatMap(({ path, value }) => {
      if (typeof value !== 'function') return [{ path, text: String(value) }];
      const args = (sampleArgs[path] ?? []).map((arg) => (locale === 'en' ? asciiArg(arg) : arg));
      const ones = args.map((arg) => (typeof arg === 'number' ? 1 : arg));
      return [
        { path, text: String(value(...args)) },
        { path: `${path} (1)`, text: String(value(...ones)) },
      ];
    });
  }

  it('ja: no ASCII space between Japanese words (a space is for a mention or an English name)', () => {
    // Inside `code` is what the reader types (`staff add @ユーザー 営業`): spaces there separate arguments.
    const prose = (text: string) => text.replace(/`[^`]*`/g, '`…`');
    const offenders = rendered('ja').filter(({ text }) => spaceBetweenJapanese.test(prose(text)));
    expect(offenders).toEqual([]);
  });

  it('en: no full-width punctuation and no Japanese', () => {
    const offenders = rendered('en').filter(({ text }) => fullWidthOrJapanese.test(text));
    expect(offenders).toEqual([]);
  });

  it('en: plurals agree with their count ("1 lead", never "1 leads" or "lead(s)")', () => {
    const singularS = new Set(['is', 'was', 'has', 'this', 'its', 'business', 'as', 'us']);
    const offenders = rendered('en').filter(({ text }) => {
      if (/\w\(s\)/.test(text)) return true;
      return [...text.matchAll(/\b1 (?:([a-z]+) )?([a-z]+)\b/gi)].some((m) =>
        [m[1], m[2]].some((word) => word !== undefined && /s$/.test(word) && !singularS.has(word)),
      );
    });
    expect(offenders).toEqual([]);
  });

  it.each(locales)('%s: no unfilled placeholder', (locale) => {
    const offenders = rendered(locale).filter(({ text }) => unfilled.test(text));
    expect(offenders).toEqual([]);
  });
});

/** Replaces Japanese sample arguments so only the catalog's own words are checked for Japanese. */
function asciiArg(arg: unknown): unknown {
  return typeof arg === 'string' ? arg.replace(/[^\x20-\x7e]/g, 'x') : arg;
}

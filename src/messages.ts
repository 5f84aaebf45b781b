import { commandsEn, commandsJa } from './catalog/commands.ts';
import { commonEn, commonJa } from './catalog/common.ts';
import { erasureEn, erasureJa, erasureNoticesEn, erasureNoticesJa } from './catalog/erasure.ts';
import { followUpEn, followUpJa, followUpNoticesEn, followUpNoticesJa } from './catalog/follow-up.ts';
import { leadsEn, leadsJa } from './catalog/leads.ts';
import { relayEn, relayJa, relayNoticesEn, relayNoticesJa } from './catalog/relay.ts';

/**
 * The message catalog: every word a lead or a rep reads, Japanese by default, English via
 * LOCALE=en. Each feature keeps its words in its own file under catalog/; they are composed here.
 */
const ja = {
  ...commonJa,
  ...relayJa,
  ...followUpJa,
  ...commandsJa,
  ...leadsJa,
  erasure: erasureJa,
  notice: { ...relayNoticesJa, ...followUpNoticesJa, ...erasureNoticesJa },
};

export type Catalog = typeof ja;

const en: Catalog = {
  ...commonEn,
  ...relayEn,
  ...followUpEn,
  ...commandsEn,
  ...leadsEn,
  erasure: erasureEn,
  notice: { ...relayNoticesEn, ...followUpNoticesEn, ...erasureNoticesEn },
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

import { commandsEn, commandsJa } from './catalog/commands.ts';
import { commonEn, commonJa } from './catalog/common.ts';
import { erasureEn, erasureJa, erasureNoticesEn, erasureNoticesJa } from './catalog/erasure.ts';
import { exportEn, exportJa } from './catalog/export.ts';
import { followUpEn, followUpJa, followUpNoticesEn, followUpNoticesJa } from './catalog/follow-up.ts';
import { leadsEn, leadsJa } from './catalog/leads.ts';
import { relayEn, relayJa, relayNoticesEn, relayNoticesJa } from './catalog/relay.ts';
import { sequenceCardsEn, sequenceCardsJa } from './catalog/sequence-cards.ts';
import { sequenceNoticesEn, sequenceNoticesJa, sequencesEn, sequencesJa } from './catalog/sequences.ts';
import { statsEn, statsJa } from './catalog/stats.ts';

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
  ...sequencesJa,
  ...sequenceCardsJa,
  ...exportJa,
  ...statsJa,
  erasure: erasureJa,
  notice: { ...relayNoticesJa, ...followUpNoticesJa, ...erasureNoticesJa, ...sequenceNoticesJa },
};

export type Catalog = typeof ja;

const en: Catalog = {
  ...commonEn,
  ...relayEn,
  ...followUpEn,
  ...commandsEn,
  ...leadsEn,
  ...sequencesEn,
  ...sequenceCardsEn,
  ...exportEn,
  ...statsEn,
  erasure: erasureEn,
  notice: { ...relayNoticesEn, ...followUpNoticesEn, ...erasureNoticesEn, ...sequenceNoticesEn },
};

export type Locale = 'ja' | 'en';

export function catalog(locale: Locale): Catalog {
  return locale === 'en' ? en : ja;
}

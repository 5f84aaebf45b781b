/** A deal-size band (成約金額); bands are ordered ascending and the last one has no upper bound. */
export interface AmountBand {
  key: string;
  label: string;
  /** Inclusive upper bound in yen ("〜2,000万円" includes 2,000万円); null = no upper bound. */
  maxYen: number | null;
}

/**
 * The band of an estimated amount; null when the amount is unknown. An amount above every bound
 * (only possible with an unvalidated table) falls in the last band rather than vanishing.
 */
export function amountBand(amountYen: number | null, bands: readonly AmountBand[]): AmountBand | null {
  if (amountYen === null) return null;
  return bands.find((band) => band.maxYen === null || amountYen <= band.maxYen) ?? bands.at(-1) ?? null;
}

const MAN = 10_000;
const OKU = 100_000_000;

const grouped = (n: number) => n.toLocaleString('en-US');

/**
 * Yen the way Japanese sales staff read it: 3,500万円, 1億2,000万円, 9,800円. Amounts below 1万
 * in a larger figure are kept (1億2,000万5,000円) so that formatting never loses money.
 */
export function formatYen(amount: number): string {
  const rounded = Math.round(amount);
  if (rounded < 0) return `-${formatYen(-rounded)}`;
  if (rounded < MAN) return `${grouped(rounded)}円`;
  const oku = Math.floor(rounded / OKU);
  const man = Math.floor((rounded % OKU) / MAN);
  const yen = rounded % MAN;
  const parts = [
    oku > 0 ? `${grouped(oku)}億` : '',
    man > 0 ? `${grouped(man)}万` : '',
    yen > 0 ? grouped(yen) : '',
  ];
  return `${parts.join('')}円`;
}

export type YenInputResult =
  | { ok: true; yen: number }
  | { ok: false; problem: 'empty' | 'format' | 'too_large' | 'zero' };

/** 1億2,000万5,000 / 1.2億 / 3500万 / 35000000, each part optional but at least one present. */
const yenPattern = /^(?:(\d+(?:\.\d+)?)億)?(?:(\d+(?:\.\d+)?)万)?(\d+)?$/;

/**
 * Reads an amount as a rep types it: 3500万, 3,500万円, 1.2億, 35000000, ３５００万, ¥35,000,000.
 * Commas are ignored wherever they appear because the rep means a number, not a layout.
 */
export function parseYenInput(text: string): YenInputResult {
  const normalized = text
    .replace(/[０-９．，]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(/[\s,、¥￥]/g, '')
    .replace(/円$/, '');
  if (normalized === '') return { ok: false, problem: 'empty' };
  const [, oku, man, yen] = yenPattern.exec(normalized) ?? [];
  if (oku === undefined && man === undefined && yen === undefined) return { ok: false, problem: 'format' };
  // 1億20000万 or 3500万20000 is a typing slip: a smaller unit must stay below the one before it.
  const manOverflows = oku !== undefined && Number(man ?? 0) >= MAN;
  const yenOverflows = (oku !== undefined || man !== undefined) && Number(yen ?? 0) >= MAN;
  if (manOverflows || yenOverflows) return { ok: false, problem: 'format' };
  // Rounding to whole yen also absorbs binary float error (1.2 * 1億 must be exactly 120,000,000).
  const total = Math.round(Number(oku ?? 0) * OKU + Number(man ?? 0) * MAN + Number(yen ?? 0));
  if (!Number.isSafeInteger(total)) return { ok: false, problem: 'too_large' };
  // A deal worth nothing is a slip (or "unknown", which is an empty field).
  if (total <= 0) return { ok: false, problem: 'zero' };
  return { ok: true, yen: total };
}

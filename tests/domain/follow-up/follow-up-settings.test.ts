import { describe, expect, it } from 'vitest';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../../src/domain/follow-up/default-follow-up-settings.ts';
import {
  followUpSettingsSchema,
  parseFollowUpSettings,
} from '../../../src/domain/follow-up/follow-up-settings.ts';

const settingsOf = (json: unknown) => {
  const result = parseFollowUpSettings(json);
  if (!result.ok) throw new Error(`expected valid settings, got ${result.problems.join('; ')}`);
  return result.settings;
};
const problemsOf = (json: unknown) => {
  const result = parseFollowUpSettings(json);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
};

const twoBands = [
  { key: 'small', label: '〜3,000万円', maxYen: 30_000_000 },
  { key: 'large', label: '3,000万円〜', maxYen: null },
];
const rowFor = (score: number) => ({ small: score, large: score + 1, unknown: score });
const twoBandMatrix = {
  within_1m: rowFor(50),
  within_3m: rowFor(40),
  within_6m: rowFor(30),
  within_1y: rowFor(20),
  over_1y: rowFor(10),
  undecided: rowFor(0),
};

describe('DEFAULT_FOLLOW_UP_SETTINGS', () => {
  it('passes its own schema', () => {
    expect(followUpSettingsSchema.safeParse(DEFAULT_FOLLOW_UP_SETTINGS).success).toBe(true);
  });

  it('ships the documented tables', () => {
    expect(DEFAULT_FOLLOW_UP_SETTINGS.amountBands.map((b) => [b.label, b.maxYen])).toEqual([
      ['〜2,000万円', 20_000_000],
      ['〜4,000万円', 40_000_000],
      ['〜6,000万円', 60_000_000],
      ['6,000万円〜', null],
    ]);
    expect(DEFAULT_FOLLOW_UP_SETTINGS.cadence.within_1m).toEqual({
      mode: 'personal',
      personalEveryWorkingDays: 3,
      channels: ['phone', 'visit'],
    });
    const checkIns = (['within_3m', 'within_6m', 'within_1y', 'over_1y', 'undecided'] as const).map(
      (segment) => [
        DEFAULT_FOLLOW_UP_SETTINGS.cadence[segment].mode,
        DEFAULT_FOLLOW_UP_SETTINGS.cadence[segment].checkInEveryDays,
      ],
    );
    expect(checkIns).toEqual([
      ['low_load', 14],
      ['low_load', 30],
      ['low_load', 60],
      ['low_load', 90],
      ['low_load', 60],
    ]);
    expect(DEFAULT_FOLLOW_UP_SETTINGS.afterSales).toEqual([
      { months: 1 },
      { months: 6 },
      { months: 12 },
      { everyMonthsAfter: 12 },
    ]);
    expect(DEFAULT_FOLLOW_UP_SETTINGS.neglectDays).toBe(30);
  });
});

describe('parseFollowUpSettings', () => {
  it.each([undefined, null, {}])('gives the defaults without overrides (%j)', (json) => {
    expect(settingsOf(json)).toEqual(DEFAULT_FOLLOW_UP_SETTINGS);
    expect(settingsOf(json)).not.toBe(DEFAULT_FOLLOW_UP_SETTINGS);
  });

  it('merges one matrix cell over the default row, keeping the rest', () => {
    const settings = settingsOf({ priorityMatrix: { within_3m: { over_60m: 99 } } });
    expect(settings.priorityMatrix.within_3m).toEqual({
      ...DEFAULT_FOLLOW_UP_SETTINGS.priorityMatrix.within_3m,
      over_60m: 99,
    });
    expect(settings.priorityMatrix.within_1m).toEqual(DEFAULT_FOLLOW_UP_SETTINGS.priorityMatrix.within_1m);
  });

  it('merges a cadence field over the default segment cadence', () => {
    const settings = settingsOf({
      cadence: { within_3m: { checkInEveryDays: 21 }, within_1m: { personalEveryWorkingDays: 2 } },
    });
    expect(settings.cadence.within_3m).toEqual({
      ...DEFAULT_FOLLOW_UP_SETTINGS.cadence.within_3m,
      checkInEveryDays: 21,
    });
    expect(settings.cadence.within_1m.personalEveryWorkingDays).toBe(2);
    expect(settings.cadence.over_1y).toEqual(DEFAULT_FOLLOW_UP_SETTINGS.cadence.over_1y);
  });

  it('switches a segment to personal contact when the spacing is given', () => {
    const settings = settingsOf({
      cadence: { within_3m: { mode: 'personal', personalEveryWorkingDays: 5 } },
    });
    expect(settings.cadence.within_3m).toMatchObject({ mode: 'personal', personalEveryWorkingDays: 5 });
  });

  it('replaces lists and scalars whole', () => {
    const settings = settingsOf({ afterSales: [{ months: 3 }, { everyMonthsAfter: 6 }], neglectDays: 14 });
    expect(settings.afterSales).toEqual([{ months: 3 }, { everyMonthsAfter: 6 }]);
    expect(settings.neglectDays).toBe(14);
  });

  it('keeps the default matrix when only labels or bounds of the default bands change', () => {
    const amountBands = DEFAULT_FOLLOW_UP_SETTINGS.amountBands.map((band, i) =>
      i === 0 ? { ...band, label: '〜2,500万円', maxYen: 25_000_000 } : band,
    );
    const settings = settingsOf({ amountBands });
    expect(settings.amountBands[0]).toMatchObject({ label: '〜2,500万円', maxYen: 25_000_000 });
    expect(settings.priorityMatrix).toEqual(DEFAULT_FOLLOW_UP_SETTINGS.priorityMatrix);
  });

  it('accepts new bands with a full matrix for them', () => {
    const settings = settingsOf({ amountBands: twoBands, priorityMatrix: twoBandMatrix });
    expect(settings.amountBands.map((b) => b.key)).toEqual(['small', 'large']);
    expect(settings.priorityMatrix.within_1m).toEqual({ small: 50, large: 51, unknown: 50 });
  });

  it('lists every problem at once', () => {
    expect(
      problemsOf({
        neglectDays: 0,
        neglectDay: 3,
        cadence: {
          within_1m: { personalEveryWorkingDays: -1 },
          within_3m: { mode: 'personal' },
          within_6m: { checkInEveryDays: 1.5, channels: [] },
          within_1y: { channels: ['fax'] },
          soon: {},
        },
        afterSales: [{ months: 1 }, { weeks: 2 }],
        priorityMatrix: { within_1m: { over_60m: 'high' } },
      }),
    ).toEqual([
      'priorityMatrix.within_1m.over_60m must be a number',
      'cadence.within_1m.personalEveryWorkingDays must be above 0',
      'cadence.within_3m.personalEveryWorkingDays is required in personal mode',
      'cadence.within_6m.checkInEveryDays must be a whole number',
      'cadence.within_6m.channels needs at least one channel',
      expect.stringMatching(/^cadence\.within_1y\.channels\.0 /),
      'cadence Unrecognized key: "soon"',
      'afterSales.1 must be { "months": n } or { "everyMonthsAfter": n }, n a whole number above 0',
      'afterSales needs exactly one { "everyMonthsAfter": n } step, so that past customers are never dropped',
      'neglectDays must be above 0',
      'settings Unrecognized key: "neglectDay"',
    ]);
  });

  it('checks the bands: ascending, unique keys, only the last unbounded', () => {
    expect(
      problemsOf({
        amountBands: [
          { key: 'a', label: 'A', maxYen: 100 },
          { key: 'a', label: '', maxYen: 50 },
          { key: 'unknown', label: 'C', maxYen: null },
          { key: 'Big Deal', label: 'D', maxYen: 500 },
        ],
        priorityMatrix: twoBandMatrix,
      }),
    ).toEqual([
      'amountBands.1.label must not be empty',
      'amountBands.3.key must be lower-case letters, digits and _',
      "amountBands.1.key 'a' is used twice",
      'amountBands.1.maxYen must be above the previous band (ascending)',
      "amountBands.2.key 'unknown' is reserved",
      'amountBands.2.maxYen only the last band may be unbounded',
      'amountBands.3.maxYen must be null: the last band has no upper bound',
    ]);
    expect(problemsOf({ amountBands: [], priorityMatrix: twoBandMatrix })).toEqual([
      'amountBands needs at least one band',
    ]);
  });

  it('asks for a full matrix when the band keys change', () => {
    expect(problemsOf({ amountBands: twoBands })).toEqual([
      'priorityMatrix is required when amountBands change: a row per segment',
    ]);
    expect(problemsOf({ amountBands: twoBands, priorityMatrix: { within_1m: rowFor(1) } })).toEqual(
      ['within_3m', 'within_6m', 'within_1y', 'over_1y', 'undecided'].map(
        (segment) => `priorityMatrix.${segment} is required: a score for every band key and unknown`,
      ),
    );
  });

  it('names the missing and unexpected keys of each matrix row', () => {
    expect(
      problemsOf({
        amountBands: twoBands,
        priorityMatrix: {
          ...twoBandMatrix,
          within_3m: { small: 1, huge: 2 },
          undecided: { small: 0, large: 0 },
        },
      }),
    ).toEqual([
      'priorityMatrix.within_3m is missing large, unknown and has keys that are not bands: huge',
      'priorityMatrix.undecided is missing unknown',
    ]);
  });

  it('still compares the matrix with the bands when another table is wrong', () => {
    expect(problemsOf({ neglectDays: -1, priorityMatrix: { within_1m: { extra: 1 } } })).toEqual([
      'neglectDays must be above 0',
      'priorityMatrix.within_1m has keys that are not bands: extra',
    ]);
  });

  it.each([[[1, 2]], ['{}'], [42]])('refuses settings that are not an object (%j)', (json) => {
    expect(problemsOf(json)).toEqual(['settings must be a JSON object']);
  });
});

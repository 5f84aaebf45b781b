import { z } from 'zod';
import type { AfterSalesStep } from './after-sales.ts';
import type { AmountBand } from './amount-band.ts';
import type { SegmentCadence } from './cadence.ts';
import { DEFAULT_FOLLOW_UP_SETTINGS } from './default-follow-up-settings.ts';
import type { PriorityMatrix } from './priority.ts';
import { UNKNOWN_BAND } from './priority.ts';
import type { TimingSegment } from './purchase-timing.ts';
import { SEGMENT_ORDER } from './purchase-timing.ts';
import { TOUCH_CHANNELS } from './touch.ts';

/** The follow-up tables a company may override in its settings file. */
export interface FollowUpSettings {
  amountBands: readonly AmountBand[];
  priorityMatrix: PriorityMatrix;
  cadence: Record<TimingSegment, SegmentCadence>;
  afterSales: readonly AfterSalesStep[];
  neglectDays: number;
}

const positiveInt = z.number('must be a number').int('must be a whole number').positive('must be above 0');
/** A clearer message than "expected object, received undefined" for a table left out. */
const ifMissing = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? message : undefined;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const flag = (ctx: z.RefinementCtx, path: (string | number)[], message: string) =>
  ctx.addIssue({ code: 'custom', path, message });
const perSegment = <T extends z.ZodType>(schema: T, whenMissing: string) =>
  z.strictObject(Object.fromEntries(SEGMENT_ORDER.map((s) => [s, schema])) as Record<TimingSegment, T>, {
    error: ifMissing(whenMissing),
  });

const amountBands = z
  .array(
    z.strictObject({
      key: z.string().regex(/^[a-z0-9_]+$/, 'must be lower-case letters, digits and _'),
      label: z.string().min(1, 'must not be empty'),
      maxYen: positiveInt.nullable(),
    }),
  )
  .min(1, 'needs at least one band')
  .superRefine((bands, ctx) => {
    bands.forEach((band, i) => {
      if (band.key === UNKNOWN_BAND) flag(ctx, [i, 'key'], `'${band.key}' is reserved`);
      else if (bands.findIndex((b) => b.key === band.key) !== i)
        flag(ctx, [i, 'key'], `'${band.key}' is used twice`);
      const previous = bands[i - 1]?.maxYen;
      if (i === bands.length - 1) {
        if (band.maxYen !== null) flag(ctx, [i, 'maxYen'], 'must be null: the last band has no upper bound');
      } else if (band.maxYen === null) flag(ctx, [i, 'maxYen'], 'only the last band may be unbounded');
      else if (typeof previous === 'number' && band.maxYen <= previous)
        flag(ctx, [i, 'maxYen'], 'must be above the previous band (ascending)');
    });
  });

const cadence = z
  .strictObject({
    mode: z.enum(['personal', 'low_load']),
    personalEveryWorkingDays: positiveInt.optional(),
    checkInEveryDays: positiveInt.optional(),
    channels: z.array(z.enum(TOUCH_CHANNELS)).min(1, 'needs at least one channel'),
  })
  .superRefine((rule, ctx) => {
    if (rule.mode === 'personal' && rule.personalEveryWorkingDays === undefined)
      flag(ctx, ['personalEveryWorkingDays'], 'is required in personal mode');
    if (rule.mode === 'low_load' && rule.checkInEveryDays === undefined)
      flag(ctx, ['checkInEveryDays'], 'is required in low_load mode');
  });

const afterSales = z
  .array(
    z.union([z.strictObject({ months: positiveInt }), z.strictObject({ everyMonthsAfter: positiveInt })], {
      error: 'must be { "months": n } or { "everyMonthsAfter": n }, n a whole number above 0',
    }),
  )
  .superRefine(
    (steps: unknown[], ctx) => {
      const repeats = steps.filter((step) => isPlainObject(step) && 'everyMonthsAfter' in step).length;
      if (repeats !== 1)
        flag(
          ctx,
          [],
          'needs exactly one { "everyMonthsAfter": n } step, so that past customers are never dropped',
        );
    },
    // Also when a step is malformed, so that both problems are listed in one pass.
    { when: (payload) => Array.isArray(payload.value) },
  );

export const followUpSettingsSchema = z
  .strictObject({
    amountBands,
    priorityMatrix: perSegment(
      z.record(z.string(), z.number('must be a number'), {
        error: ifMissing('is required: a score for every band key and unknown'),
      }),
      'is required when amountBands change: a row per segment',
    ),
    cadence: perSegment(cadence, 'is required'),
    afterSales,
    neglectDays: positiveInt.default(DEFAULT_FOLLOW_UP_SETTINGS.neglectDays),
  })
  .superRefine(
    (settings, ctx) => {
      const expected = [...settings.amountBands.map((b) => b.key), UNKNOWN_BAND];
      for (const segment of SEGMENT_ORDER) {
        const row = Object.keys(settings.priorityMatrix[segment]);
        const missing = expected.filter((key) => !row.includes(key));
        const extra = row.filter((key) => !expected.includes(key));
        const parts = [
          missing.length > 0 ? `is missing ${missing.join(', ')}` : '',
          extra.length > 0 ? `has keys that are not bands: ${extra.join(', ')}` : '',
        ].filter((part) => part !== '');
        if (parts.length > 0) flag(ctx, ['priorityMatrix', segment], parts.join(' and '));
      }
    },
    // Compare the matrix with the bands whenever both are well-formed, even if other keys are not,
    // so that one pass lists every problem.
    {
      when: (payload) =>
        !payload.issues.some((i) => ['amountBands', 'priorityMatrix'].includes(String(i.path?.[0]))),
    },
  );

export type FollowUpSettingsResult =
  | { ok: true; settings: FollowUpSettings }
  | { ok: false; problems: string[] };

/** Per-key overrides of a keyed table; a row given as an object is merged over the default row. */
function mergeRows(base: object, override: unknown): unknown {
  if (!isPlainObject(override)) return override ?? base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isPlainObject(value) && isPlainObject(current) ? { ...current, ...value } : value;
  }
  return merged;
}

const bandKeysOf = (bands: unknown) =>
  Array.isArray(bands) ? bands.map((band) => (isPlainObject(band) ? band.key : undefined)).join() : undefined;

/**
 * The settings file's content (already JSON-parsed; undefined or null = no file) merged over the
 * defaults: lists (bands, after-sales steps) replace, matrix rows and segment cadences merge per
 * key. Default matrix rows are kept only while the band keys are the default ones: with other
 * bands their scores mean nothing, so the file must then give every row. Every problem is listed
 * at once, as `path message`.
 */
export function parseFollowUpSettings(json: unknown): FollowUpSettingsResult {
  // No file means the defaults, still parsed: the caller gets its own copy, checked by the same rules.
  const overrides = json ?? {};
  if (!isPlainObject(overrides)) return { ok: false, problems: ['settings must be a JSON object'] };
  const merged = {
    ...DEFAULT_FOLLOW_UP_SETTINGS,
    ...overrides,
    priorityMatrix:
      overrides.amountBands === undefined ||
      bandKeysOf(overrides.amountBands) === bandKeysOf(DEFAULT_FOLLOW_UP_SETTINGS.amountBands)
        ? mergeRows(DEFAULT_FOLLOW_UP_SETTINGS.priorityMatrix, overrides.priorityMatrix)
        : overrides.priorityMatrix,
    cadence: mergeRows(DEFAULT_FOLLOW_UP_SETTINGS.cadence, overrides.cadence),
  };
  const parsed = followUpSettingsSchema.safeParse(merged);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'} ${issue.message}`),
  };
}

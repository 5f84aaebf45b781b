import { z } from 'zod';
import type { AfterSalesStep } from './after-sales.ts';
import type { AmountBand } from './amount-band.ts';
import type { SegmentCadence } from './cadence.ts';
import { DEFAULT_FOLLOW_UP_SETTINGS } from './default-follow-up-settings.ts';
import type { PriorityMatrix } from './priority.ts';
import { UNKNOWN_BAND } from './priority.ts';
import type { TimingSegment } from './purchase-timing.ts';

/** The follow-up tables a company may override in its settings file. */
export interface FollowUpSettings {
  amountBands: readonly AmountBand[];
  priorityMatrix: PriorityMatrix;
  cadence: Record<TimingSegment, SegmentCadence>;
  afterSales: readonly AfterSalesStep[];
  neglectDays: number;
}

const SEGMENTS = ['within_1m', 'within_3m', 'within_6m', 'within_1y', 'over_1y', 'undecided'] as const;
const CHANNELS = ['line', 'phone', 'visit', 'email', 'letter', 'other'] as const;

const positiveInt = z.number().int().positive();
const perSegment = <T extends z.ZodType>(schema: T) =>
  z.strictObject(Object.fromEntries(SEGMENTS.map((s) => [s, schema])) as Record<TimingSegment, T>);

const amountBands = z
  .array(
    z.strictObject({
      key: z.string().regex(/^[a-z0-9_]+$/, 'must be lower-case letters, digits and _'),
      label: z.string().min(1),
      maxYen: positiveInt.nullable(),
    }),
  )
  .min(1)
  .superRefine((bands, ctx) => {
    const keys = bands.map((b) => b.key);
    keys.forEach((key, i) => {
      if (key === UNKNOWN_BAND)
        ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `'${key}' is reserved` });
      else if (keys.indexOf(key) !== i)
        ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `'${key}' is used twice` });
    });
    bands.forEach((band, i) => {
      const previous = bands[i - 1]?.maxYen;
      if (i === bands.length - 1) {
        if (band.maxYen !== null)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'maxYen'],
            message: 'must be null: the last band has no upper bound',
          });
      } else if (band.maxYen === null)
        ctx.addIssue({ code: 'custom', path: [i, 'maxYen'], message: 'only the last band may be unbounded' });
      else if (typeof previous === 'number' && band.maxYen <= previous)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'maxYen'],
          message: 'must be above the previous band (ascending)',
        });
    });
  });

const cadence = z
  .strictObject({
    mode: z.enum(['personal', 'low_load']),
    personalEveryWorkingDays: positiveInt.optional(),
    checkInEveryDays: positiveInt.optional(),
    channels: z.array(z.enum(CHANNELS)).min(1),
  })
  .superRefine((rule, ctx) => {
    if (rule.mode === 'personal' && rule.personalEveryWorkingDays === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['personalEveryWorkingDays'],
        message: 'is required in personal mode',
      });
    if (rule.mode === 'low_load' && rule.checkInEveryDays === undefined)
      ctx.addIssue({ code: 'custom', path: ['checkInEveryDays'], message: 'is required in low_load mode' });
  });

const afterSales = z
  .array(
    z.union([z.strictObject({ months: positiveInt }), z.strictObject({ everyMonthsAfter: positiveInt })]),
  )
  .superRefine((steps, ctx) => {
    const repeats = steps.filter((step) => 'everyMonthsAfter' in step).length;
    if (repeats !== 1)
      ctx.addIssue({
        code: 'custom',
        message: 'needs exactly one { "everyMonthsAfter": n } step, so that past customers are never dropped',
      });
  });

export const followUpSettingsSchema = z
  .strictObject({
    amountBands,
    priorityMatrix: perSegment(z.record(z.string(), z.number())),
    cadence: perSegment(cadence),
    afterSales,
    neglectDays: positiveInt.default(DEFAULT_FOLLOW_UP_SETTINGS.neglectDays),
  })
  .superRefine(
    (settings, ctx) => {
      const expected = [...settings.amountBands.map((b) => b.key), UNKNOWN_BAND];
      for (const segment of SEGMENTS) {
        const row = Object.keys(settings.priorityMatrix[segment]);
        const missing = expected.filter((key) => !row.includes(key));
        const extra = row.filter((key) => !expected.includes(key));
        const parts = [
          missing.length > 0 ? `is missing ${missing.join(', ')}` : '',
          extra.length > 0 ? `has keys that are not bands: ${extra.join(', ')}` : '',
        ].filter((part) => part !== '');
        if (parts.length > 0)
          ctx.addIssue({ code: 'custom', path: ['priorityMatrix', segment], message: parts.join(' and ') });
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

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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

/**
 * The settings file's content (already JSON-parsed; undefined or null = no file) merged over the
 * defaults: lists (bands, after-sales steps) replace, matrix rows and segment cadences merge per
 * key. Every problem is listed at once, as `path message`.
 */
export function parseFollowUpSettings(json: unknown): FollowUpSettingsResult {
  if (json === undefined || json === null) return { ok: true, settings: DEFAULT_FOLLOW_UP_SETTINGS };
  if (!isPlainObject(json)) return { ok: false, problems: ['settings must be a JSON object'] };
  const merged = {
    ...DEFAULT_FOLLOW_UP_SETTINGS,
    ...json,
    priorityMatrix: mergeRows(DEFAULT_FOLLOW_UP_SETTINGS.priorityMatrix, json.priorityMatrix),
    cadence: mergeRows(DEFAULT_FOLLOW_UP_SETTINGS.cadence, json.cadence),
  };
  const parsed = followUpSettingsSchema.safeParse(merged);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'} ${issue.message}`),
  };
}

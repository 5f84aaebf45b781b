import { z } from 'zod';
import { SEGMENT_ORDER } from '../follow-up/purchase-timing.ts';
import { lineMessageSchema } from './line-message-schema.ts';
import { stringFields, variableProblems } from './message-variables.ts';
import { SEQUENCE_TRIGGERS } from './sequence.ts';

/** The file as written (snake_case keys as in the README); converted to the model once valid. */

// A tag doubles as a quick-reply label (the interests question), which LINE caps at 20 characters.
const tag = z.string().trim().min(1, 'must not be empty').max(20);
const tags = z.array(tag).min(1, 'lists at least one tag');

export const DURATION = /^(\d{1,6})(m|h|d)$/;
const duration = z
  .string({ error: 'must be a delay such as 0m, 30m, 6h or 3d' })
  .regex(DURATION, 'must be a delay such as 0m, 30m, 6h or 3d');
const timeOfDay = z
  .string({ error: 'must be a time of day in quotes, such as "10:00"' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day in quotes, such as "10:00"');

const localDateTime = z
  .string({ error: 'must be a local date and time such as "2026-12-12T10:00"' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a local date and time such as "2026-12-12T10:00"')
  .refine((text) => {
    const [y, mo, d, h, mi] = text.split(/[-T:]/).map(Number) as [number, number, number, number, number];
    const utc = new Date(Date.UTC(y, mo - 1, d, h, mi));
    return utc.getUTCMonth() === mo - 1 && utc.getUTCDate() === d && h < 24 && mi < 60;
  }, 'is not a real date and time');

const step = z
  .strictObject({
    after: duration,
    at: timeOfDay.optional(),
    tags: tags.optional(),
    messages: z.array(lineMessageSchema).min(1, 'has 1 to 5 messages').max(5, 'has 1 to 5 messages'),
  })
  .superRefine((s, ctx) => {
    s.messages.forEach((message, i) => {
      if (message.quickReply && i < s.messages.length - 1)
        ctx.addIssue({
          code: 'custom',
          path: ['messages', i, 'quickReply'],
          message: 'quick replies are allowed on the last message of a step only',
        });
      for (const problem of variableProblems(message))
        ctx.addIssue({ code: 'custom', path: ['messages', i, ...problem.path], message: problem.message });
      for (const field of stringFields(message)) {
        const segment = field.key === 'data' ? /^timing=(.*)$/s.exec(field.value)?.[1] : undefined;
        if (segment !== undefined && !(SEGMENT_ORDER as readonly string[]).includes(segment))
          ctx.addIssue({
            code: 'custom',
            path: ['messages', i, ...field.path],
            message: `timing=${segment} is not a segment: use timing= with ${SEGMENT_ORDER.join(', ')}`,
          });
      }
    });
  });

const sequence = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be 1 to 64 of a-z, 0-9 and -, such as nurture-3m'),
    name: z.string().trim().min(1, 'must not be empty').max(100),
    trigger: z.enum(SEQUENCE_TRIGGERS, { error: `must be one of ${SEQUENCE_TRIGGERS.join(', ')}` }),
    segments: z
      .array(z.enum(SEGMENT_ORDER, { error: `must be one of ${SEGMENT_ORDER.join(', ')}` }))
      .min(1, 'lists at least one segment')
      .optional(),
    tags: tags.optional(),
    kind: z.enum(['lead', 'customer'], { error: 'must be lead or customer' }).optional(),
    start_at: localDateTime.optional(),
    steps: z.array(step).min(1, 'has at least one step'),
  })
  .superRefine((s, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (s.trigger === 'segment' && !s.segments) issue('trigger', 'trigger segment needs segments: [...]');
    if (s.segments && s.trigger !== 'segment' && s.trigger !== 'date')
      issue('segments', 'segments is for trigger segment (or as the audience of trigger date)');
    if (s.trigger === 'tag' && !s.tags) issue('trigger', 'trigger tag needs tags: [...]');
    if (s.trigger === 'date' && !s.start_at)
      issue('trigger', 'trigger date needs start_at: "2026-12-12T10:00"');
    if (s.start_at && s.trigger !== 'date') issue('start_at', 'start_at is for trigger date only');
    if (s.trigger === 'handover' && s.kind === 'lead')
      issue('kind', 'trigger handover is for past customers: leave kind out or use customer');
  });

type RawSequence = z.infer<typeof sequence>;

/** Who a follow or segment sequence reaches: two starters for the same people would clash. */
const audienceKey = (s: RawSequence) => `${[...(s.tags ?? [])].sort().join('|')}/${s.kind ?? ''}`;

export const sequencesFileSchema = z
  .strictObject({
    sequences: z.array(sequence, { error: 'must be a list of sequences' }),
    interests: z.array(tag).max(13, 'has at most 13 answers (LINE quick replies)').optional(),
  })
  .superRefine((file, ctx) => {
    const ids = new Map<string, number>();
    const starters = new Map<string, string>();
    file.sequences.forEach((s, i) => {
      const first = ids.get(s.id);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['sequences', i, 'id'],
          message: `id ${s.id} is already used by sequences[${first}]`,
        });
      else ids.set(s.id, i);
      const starts = s.trigger === 'segment' ? (s.segments ?? []) : s.trigger === 'follow' ? ['follow'] : [];
      for (const start of starts) {
        const key = `${start}/${audienceKey(s)}`;
        const other = starters.get(key);
        if (other)
          ctx.addIssue({
            code: 'custom',
            path: ['sequences', i, s.trigger === 'segment' ? 'segments' : 'trigger'],
            message: `${start} already starts ${other} for the same audience; a lead gets one of them only`,
          });
        else starters.set(key, s.id);
      }
    });
    const seen = new Set<string>();
    (file.interests ?? []).forEach((interest, i) => {
      if (seen.has(interest))
        ctx.addIssue({ code: 'custom', path: ['interests', i], message: `${interest} is listed twice` });
      seen.add(interest);
    });
  });

export type RawSequencesFile = z.infer<typeof sequencesFileSchema>;

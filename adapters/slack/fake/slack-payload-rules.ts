// Block Kit and argument rules the fake Slack API enforces. They mirror the limits real Slack
// rejects with, so product Block Kit mistakes fail in tests instead of in production.
import { z } from 'zod';

export interface RuleViolation {
  error: string;
  /** Human-readable details in Slack's own style ("... [json-pointer:/blocks/0/text]"). */
  errors: string[];
}

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;
export const MAX_MESSAGE_TEXT = 40_000;

const plainText = (max: number) =>
  z.looseObject({
    type: z.literal('plain_text'),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
  });
const anyText = (max: number) =>
  z.looseObject({ type: z.enum(['plain_text', 'mrkdwn']), text: z.string().min(1).max(max) });
const actionId = z.string().min(1).max(255).optional();
const option = z.looseObject({ text: anyText(75), value: z.string().max(150) });
const options = (min: number, max: number) => z.array(option).min(min).max(max);

/**
 * Validates objects whose shape depends on their `type`. Zod's discriminatedUnion cannot reject
 * unknown types with a useful message and buries the real issue under "no union matched", so
 * dispatch by hand and re-emit the inner issues with their paths.
 */
function byType(what: string, schemas: Record<string, z.ZodType>) {
  return z.looseObject({ type: z.string() }).superRefine((value, ctx) => {
    const schema = schemas[value.type];
    if (!schema) {
      ctx.addIssue({ code: 'custom', message: `unsupported ${what} type "${value.type}"`, path: ['type'] });
      return;
    }
    const result = schema.safeParse(value);
    if (result.success) return;
    for (const issue of result.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
}

const selectLike = z.looseObject({ action_id: actionId, placeholder: plainText(150).optional() });
const staticSelect = selectLike.extend({
  options: options(1, 100).optional(),
  option_groups: z.array(z.unknown()).max(100).optional(),
});
const imageElement = z.looseObject({ alt_text: z.string().min(1).max(2000) });

const elementSchemas: Record<string, z.ZodType> = {
  button: z.looseObject({
    text: plainText(75),
    action_id: actionId,
    value: z.string().max(2000).optional(),
    url: z.string().max(3000).optional(),
    style: z.enum(['primary', 'danger']).optional(),
  }),
  image: imageElement,
  overflow: z.looseObject({ action_id: actionId, options: options(1, 5) }),
  checkboxes: z.looseObject({ action_id: actionId, options: options(1, 10) }),
  radio_buttons: z.looseObject({ action_id: actionId, options: options(1, 10) }),
  static_select: staticSelect,
  multi_static_select: staticSelect,
  plain_text_input: z.looseObject({
    action_id: actionId,
    placeholder: plainText(150).optional(),
    max_length: z.number().int().max(3000).optional(),
  }),
};
for (const type of [
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'email_text_input',
  'number_input',
  'url_text_input',
  'rich_text_input',
  'file_input',
  'workflow_button',
]) {
  elementSchemas[type] = selectLike;
}
const element = byType('element', elementSchemas);
const textOrImage = byType('context element', {
  plain_text: anyText(3000),
  mrkdwn: anyText(3000),
  image: imageElement,
});

const blockSchemas: Record<string, z.ZodType> = {
  section: z
    .looseObject({
      text: anyText(3000).optional(),
      fields: z.array(anyText(2000)).min(1).max(10).optional(),
      accessory: element.optional(),
    })
    .refine((b) => b.text !== undefined || b.fields !== undefined, {
      message: 'must provide text or fields',
    }),
  actions: z.looseObject({ elements: z.array(element).min(1).max(25) }),
  context: z.looseObject({ elements: z.array(textOrImage).min(1).max(10) }),
  header: z.looseObject({ text: plainText(150) }),
  divider: z.looseObject({}),
  image: z.looseObject({ alt_text: z.string().min(1).max(2000), title: plainText(2000).optional() }),
  input: z.looseObject({ label: plainText(2000), element, hint: plainText(2000).optional() }),
  rich_text: z.looseObject({ elements: z.array(z.unknown()) }),
  markdown: z.looseObject({ text: z.string().min(1).max(12_000) }),
};
for (const type of ['file', 'video', 'table', 'context_actions', 'call'])
  blockSchemas[type] = z.looseObject({});

const block = byType('block', blockSchemas).and(
  z.looseObject({ block_id: z.string().min(1).max(255).optional() }),
);

/** Slack rejects a payload where two blocks share a block_id, or two elements in a block share an action_id. */
function blocksOf(max: number) {
  return z
    .array(block)
    .max(max)
    .superRefine((blocks, ctx) => {
      const blockIds = new Set<unknown>();
      blocks.forEach((b, i) => {
        const rec = b as Record<string, unknown>;
        if (rec.block_id !== undefined) {
          if (blockIds.has(rec.block_id))
            ctx.addIssue({ code: 'custom', message: 'duplicate block_id', path: [i, 'block_id'] });
          blockIds.add(rec.block_id);
        }
        const actionIds = new Set<unknown>();
        const elements = Array.isArray(rec.elements) ? (rec.elements as Array<Record<string, unknown>>) : [];
        elements.forEach((el, j) => {
          if (el?.action_id === undefined) return;
          if (actionIds.has(el.action_id)) {
            ctx.addIssue({
              code: 'custom',
              message: 'duplicate action_id',
              path: [i, 'elements', j, 'action_id'],
            });
          }
          actionIds.add(el.action_id);
        });
      });
    });
}
const messageBlocks = blocksOf(MAX_MESSAGE_BLOCKS);

const view = z.looseObject({
  type: z.enum(['modal', 'home']),
  blocks: blocksOf(MAX_VIEW_BLOCKS),
  title: plainText(24).optional(),
  submit: plainText(24).optional(),
  close: plainText(24).optional(),
  callback_id: z.string().max(255).optional(),
  private_metadata: z.string().max(3000).optional(),
  external_id: z.string().max(255).optional(),
});

function describe(error: z.ZodError, root: string): string[] {
  return error.issues.map(
    (issue) => `${issue.message} [json-pointer:${root}${issue.path.map((p) => `/${String(p)}`).join('')}]`,
  );
}

/** Rules shared by chat.postMessage, chat.postEphemeral and chat.update. */
export function checkMessageContent(args: {
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
}): RuleViolation | undefined {
  // A blocks value that is not an array means the caller's JSON was broken, which is worth more than no_text.
  if (args.blocks !== undefined && !Array.isArray(args.blocks)) {
    return { error: 'invalid_blocks_format', errors: ['blocks must be a JSON array'] };
  }
  const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
  const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
  if (!args.text && !hasBlocks && !hasAttachments) return { error: 'no_text', errors: [] };
  if (Array.isArray(args.blocks)) {
    const result = messageBlocks.safeParse(args.blocks);
    if (!result.success) return { error: 'invalid_blocks', errors: describe(result.error, '/blocks') };
  }
  if (args.text !== undefined && args.text.length > MAX_MESSAGE_TEXT) {
    return { error: 'msg_too_long', errors: [`text must be at most ${MAX_MESSAGE_TEXT} characters`] };
  }
  return undefined;
}

/**
 * Message metadata as chat.postMessage and chat.update take it: an object with a string event_type and
 * an object event_payload. Anything that is not an object at all is a format error; an object of the
 * wrong shape is a schema error. https://docs.slack.dev/messaging/message-metadata
 */
export function checkMetadata(value: unknown): RuleViolation | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      error: 'invalid_metadata_format',
      errors: ['metadata must be a JSON object [json-pointer:/metadata]'],
    };
  }
  const { event_type: eventType, event_payload: payload } = value as Record<string, unknown>;
  const errors: string[] = [];
  if (typeof eventType !== 'string' || eventType === '') {
    errors.push('event_type must be a non-empty string [json-pointer:/metadata/event_type]');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    errors.push('event_payload must be an object [json-pointer:/metadata/event_payload]');
  }
  return errors.length > 0 ? { error: 'invalid_metadata_schema', errors } : undefined;
}

/** Slack answers invalid views with invalid_arguments plus per-field messages, not invalid_blocks. */
export function checkView(value: unknown): RuleViolation | undefined {
  const result = view.safeParse(value);
  return result.success ? undefined : { error: 'invalid_arguments', errors: describe(result.error, '/view') };
}

// Form-encoded values are always strings; JSON bodies may carry numbers (e.g. ts), which Slack accepts.
const str = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1));
const optStr = z.union([z.string(), z.number()]).transform(String).optional();
const content = {
  text: z.string().optional(),
  blocks: z.unknown().optional(),
  attachments: z.unknown().optional(),
};
// Booleans arrive as "true"/"1" from forms and as true/1 in JSON bodies.
const flag = z
  .union([z.boolean(), z.number(), z.string()])
  .transform((v) => v === true || v === 1 || v === 'true' || v === '1')
  .optional();
const timeline = {
  channel: str,
  cursor: optStr,
  oldest: optStr,
  latest: optStr,
  inclusive: flag,
  limit: z.union([z.number(), z.string()]).transform(Number).pipe(z.number().int()).optional(),
  include_all_metadata: flag,
};

/** Required and typed arguments per implemented method; missing ones answer invalid_arguments. */
export const argSchemas = {
  'auth.test': z.looseObject({}),
  'chat.postMessage': z.looseObject({
    channel: str,
    thread_ts: optStr,
    ...content,
    metadata: z.unknown().optional(),
    // chat:write.customize: https://docs.slack.dev/reference/methods/chat.postMessage
    username: optStr,
    icon_url: optStr,
    icon_emoji: optStr,
  }),
  'chat.postEphemeral': z.looseObject({
    channel: str,
    user: str,
    thread_ts: optStr,
    ...content,
    username: optStr,
    icon_url: optStr,
    icon_emoji: optStr,
  }),
  'chat.update': z.looseObject({ channel: str, ts: str, ...content, metadata: z.unknown().optional() }),
  'chat.delete': z.looseObject({ channel: str, ts: str }),
  'chat.getPermalink': z.looseObject({ channel: str, message_ts: str }),
  'reactions.add': z.looseObject({ channel: str, timestamp: str, name: str }),
  'reactions.remove': z.looseObject({ channel: str, timestamp: str, name: str }),
  'users.info': z.looseObject({ user: str }),
  'conversations.history': z.looseObject(timeline),
  'conversations.replies': z.looseObject({ ...timeline, ts: str }),
  'conversations.open': z
    .looseObject({ users: optStr, channel: optStr })
    .refine((a) => a.users || a.channel, { message: 'missing required field: users', path: ['users'] }),
  'views.open': z
    .looseObject({ trigger_id: optStr, interactivity_pointer: optStr, view: z.unknown() })
    .refine((a) => a.trigger_id || a.interactivity_pointer, {
      message: 'missing required field: trigger_id',
      path: ['trigger_id'],
    }),
  'views.push': z.looseObject({ trigger_id: str, view: z.unknown() }),
  'views.update': z
    .looseObject({ view_id: optStr, external_id: optStr, hash: optStr, view: z.unknown() })
    .refine((a) => a.view_id || a.external_id, {
      message: 'missing required field: view_id',
      path: ['view_id'],
    }),
} as const;

export type SlackMethod = keyof typeof argSchemas;
export type SlackArgs<M extends SlackMethod> = z.output<(typeof argSchemas)[M]>;

export function isImplementedMethod(method: string): method is SlackMethod {
  return Object.hasOwn(argSchemas, method);
}

export function parseArgs<M extends SlackMethod>(
  method: M,
  body: Record<string, unknown>,
): { ok: true; args: SlackArgs<M> } | { ok: false; violation: RuleViolation } {
  const result = argSchemas[method].safeParse(body);
  if (result.success) return { ok: true, args: result.data as SlackArgs<M> };
  const errors = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return body[field] === undefined
      ? `missing required field: ${field}`
      : `${issue.message} [json-pointer:/${field}]`;
  });
  return { ok: false, violation: { error: 'invalid_arguments', errors } };
}

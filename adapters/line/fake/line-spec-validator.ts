// Validation of LINE Messaging API requests and webhook bodies against the
// vendored official OpenAPI documents (./openapi), plus zod rules for what the
// spec cannot express. Loaded only from the vendored copies so tests do not
// depend on anything outside the repo.
import { readFileSync } from 'node:fs';
import type { Document, Operation, Request } from 'openapi-backend';
import { OpenAPIBackend, OpenAPIValidator, ValidationContext } from 'openapi-backend';
import { parse } from 'yaml';
import { z } from 'zod';

export interface LineErrorDetail {
  message: string;
  property: string;
}

type Json = Record<string, unknown>;
type AjvInstance = ReturnType<OpenAPIValidator['getAjv']>;
interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function loadSpec(name: string): Json {
  return parse(readFileSync(new URL(`./openapi/${name}`, import.meta.url), 'utf8')) as Json;
}

// openapi-backend only registers the OAS numeric/binary formats; without these
// Ajv silently ignores `format: uuid` (X-Line-Retry-Key) and `format: uri`.
function addFormats(ajv: AjvInstance): AjvInstance {
  ajv.addFormat('uuid', UUID_RE);
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)));
  return ajv;
}

// ---------------------------------------------------------------------------
// Messaging API (requests sent by our bot)
// ---------------------------------------------------------------------------

let backendPromise: Promise<OpenAPIBackend> | undefined;

/**
 * One initialised backend per process: parsing the 6k-line YAML and building the
 * router is the expensive part, and every fake server can share it read-only.
 * `quick` mode skips OpenAPI-document self-validation (~1.6 s) and compiles Ajv
 * validators lazily per operation (~50 ms on first use).
 */
export function getMessagingApiBackend(): Promise<OpenAPIBackend> {
  backendPromise ??= (async () => {
    const api = new OpenAPIBackend({
      definition: loadSpec('messaging-api.yml') as unknown as Document,
      quick: true,
      strict: true,
      ajvOpts: { allErrors: true },
      customizeAjv: addFormats,
    });
    return api.init();
  })().catch((err: unknown) => {
    backendPromise = undefined; // let a later caller retry instead of caching the failure
    throw err;
  });
  return backendPromise;
}

export function matchLineOperation(api: OpenAPIBackend, method: string, path: string): Operation | undefined {
  return api.router.matchOperation({ method, path, headers: {} });
}

/** Turns an Ajv instance path like `/requestBody/messages/0/text` into LINE's `messages[0].text`. */
function toProperty(segments: ReadonlyArray<string | number | symbol>): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number' || /^\d+$/.test(String(seg))) out += `[${String(seg)}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

function ajvErrorsToDetails(errors: readonly AjvError[], stripPrefix: string): LineErrorDetail[] {
  const details: LineErrorDetail[] = [];
  for (const e of errors) {
    // if/then errors only repeat the real error found inside the `then` branch.
    if (e.keyword === 'if') continue;
    const segments = e.instancePath.split('/').filter(Boolean);
    if (segments[0] === stripPrefix) segments.shift();
    const missing = e.params.missingProperty;
    if (e.keyword === 'required' && typeof missing === 'string') segments.push(missing);
    const detail = { message: e.message ?? e.keyword, property: toProperty(segments) };
    // Discriminated sub-types re-include their base, so the same error can surface twice.
    if (!details.some((d) => d.property === detail.property && d.message === detail.message))
      details.push(detail);
  }
  return details;
}

const httpsUrl = z.url({ protocol: /^https$/ }).max(2000);
const sender = z.looseObject({ name: z.string().min(1).max(20).optional(), iconUrl: httpsUrl.optional() });
const quickReply = z.looseObject({
  items: z
    .array(z.looseObject({ type: z.literal('action'), action: z.looseObject({ type: z.string() }) }))
    .min(1)
    .max(13),
});
const common = { quickReply: quickReply.optional(), sender: sender.optional() };
const altText = z.string().min(1).max(1500);

// The spec's Message schema dispatches sub-types only via `discriminator`, which
// Ajv ignores, so without these a text message without `text` would pass.
const messageSchemas: Record<string, z.ZodType> = {
  text: z.looseObject({
    ...common,
    text: z.string().min(1).max(5000),
    emojis: z
      .array(z.looseObject({ index: z.int().min(0), productId: z.string(), emojiId: z.string() }))
      .optional(),
    quoteToken: z.string().optional(),
  }),
  sticker: z.looseObject({ ...common, packageId: z.string().min(1), stickerId: z.string().min(1) }),
  image: z.looseObject({ ...common, originalContentUrl: httpsUrl, previewImageUrl: httpsUrl }),
  template: z.looseObject({ ...common, altText, template: z.looseObject({ type: z.string() }) }),
  flex: z.looseObject({ ...common, altText, contents: z.looseObject({ type: z.string() }) }),
};
const anyMessage = z.looseObject(common);
const loadingRequest = z.looseObject({ loadingSeconds: z.int().multipleOf(5).optional() });

function zodDetails(schema: z.ZodType, value: unknown, prefix: Array<string | number>): LineErrorDetail[] {
  const r = schema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ message: i.message, property: toProperty([...prefix, ...i.path]) }));
}

function extraRuleDetails(operationId: string, body: unknown): LineErrorDetail[] {
  if (typeof body !== 'object' || body === null) return [];
  if (operationId === 'showLoadingAnimation') return zodDetails(loadingRequest, body, []);
  const messages = (body as Json).messages;
  if (!Array.isArray(messages)) return [];
  return messages.flatMap((m: unknown, i) => {
    const type = typeof m === 'object' && m !== null ? (m as Json).type : undefined;
    const schema = (typeof type === 'string' && messageSchemas[type]) || anyMessage;
    return zodDetails(schema, m, ['messages', i]);
  });
}

export interface LineValidationResult {
  /** Errors in the body, LINE-style. */
  details: LineErrorDetail[];
  /** Header names (as LINE spells them) whose values are invalid. */
  invalidHeaders: string[];
}

export function validateLineRequest(
  api: OpenAPIBackend,
  operation: Operation,
  req: Request,
): LineValidationResult {
  const result = api.validateRequest(req, operation);
  const specErrors = (result.errors ?? []) as AjvError[];
  const invalidHeaders = new Set<string>();
  const bodyErrors: AjvError[] = [];
  const paramDetails: LineErrorDetail[] = [];
  for (const e of specErrors) {
    const [, where, name] = e.instancePath.split('/');
    if (where === 'header' && name) {
      const param = operation.parameters?.find((p) => 'name' in p && p.name.toLowerCase() === name);
      invalidHeaders.add(param && 'name' in param ? param.name : name);
    } else if (
      where === 'requestBody' ||
      e.keyword === 'parse' ||
      (where === undefined && e.keyword === 'required')
    ) {
      bodyErrors.push(e);
    } else {
      paramDetails.push(...ajvErrorsToDetails([e], ''));
    }
  }
  const details = [...ajvErrorsToDetails(bodyErrors, 'requestBody'), ...paramDetails];
  // Zod partly re-checks what the spec already covers (sender.name, quickReply
  // size); report each property once so error counts stay LINE-like.
  const seen = new Set(details.map((d) => d.property));
  for (const d of extraRuleDetails(String(operation.operationId), req.body)) {
    if (!seen.has(d.property)) details.push(d);
  }
  return { details, invalidHeaders: [...invalidHeaders] };
}

// ---------------------------------------------------------------------------
// Webhook (requests LINE sends to us)
// ---------------------------------------------------------------------------

interface SchemaObject {
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  allOf?: Array<{ $ref?: string; [k: string]: unknown }>;
  [k: string]: unknown;
}

/**
 * Rewrites every schema that has `discriminator.mapping` into an if/then chain
 * so Ajv actually validates sub-types (e.g. a `message` event's `message.text`).
 * Sub-types extend their base via `allOf: [$ref Base]`; those refs are pointed
 * at an untouched copy of the base, otherwise the base would recurse into itself.
 */
function resolveDiscriminators(schemas: Record<string, SchemaObject>): Record<string, SchemaObject> {
  const out = structuredClone(schemas);
  const ref = (name: string) => `#/components/schemas/${name}`;
  const discriminated = Object.entries(schemas).flatMap(([name, s]) =>
    s.discriminator?.mapping
      ? [{ name, prop: s.discriminator.propertyName, mapping: s.discriminator.mapping }]
      : [],
  );
  // Three passes so the result does not depend on declaration order when a
  // sub-type is itself discriminated (its base copy must see the rewritten allOf).
  for (const { name } of discriminated) {
    const { discriminator: _dropped, ...base } = structuredClone(schemas[name] as SchemaObject);
    out[`${name}__base`] = base;
  }
  for (const { name, mapping } of discriminated) {
    for (const target of Object.values(mapping)) {
      const sub = target.split('/').pop() ?? '';
      for (const schema of [out[sub], out[`${sub}__base`]]) {
        for (const part of schema?.allOf ?? []) {
          if (part.$ref === ref(name)) part.$ref = ref(`${name}__base`);
        }
      }
    }
  }
  for (const { name, prop, mapping } of discriminated) {
    out[name] = {
      allOf: [
        { $ref: ref(`${name}__base`) },
        ...Object.entries(mapping).map(([value, target]) => ({
          if: { properties: { [prop]: { const: value } }, required: [prop] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
          then: { $ref: target },
        })),
      ],
    };
  }
  return out;
}

let webhookValidator: ((body: unknown) => string[]) | undefined;

function buildWebhookValidator(): (body: unknown) => string[] {
  const doc = loadSpec('webhook.yml') as { components: { schemas: Record<string, SchemaObject> } };
  // Borrow openapi-backend's Ajv (and its OAS formats) rather than depending on ajv directly.
  const validator = new OpenAPIValidator({
    definition: { openapi: '3.0.3', info: { title: 'line-webhook', version: '0' }, paths: {} },
    lazyCompileValidators: true,
    ajvOpts: { allErrors: true },
  });
  const ajv = addFormats(validator.getAjv(ValidationContext.RequestBody));
  ajv.addSchema({
    $id: 'line-webhook',
    components: { schemas: resolveDiscriminators(doc.components.schemas) },
  });
  const validate = ajv.compile({ $ref: 'line-webhook#/components/schemas/CallbackRequest' });
  return (body) => {
    if (validate(body)) return [];
    return ajvErrorsToDetails((validate.errors ?? []) as AjvError[], '').map(
      (d) => `${d.property || '(root)'}: ${d.message}`,
    );
  };
}

/** Validates a webhook body against webhook.yml `CallbackRequest`; returns human-readable errors (empty = valid). */
export function validateWebhookBody(body: unknown): string[] {
  webhookValidator ??= buildWebhookValidator();
  return webhookValidator(body);
}

import type { LineMessage } from './line-message-schema.ts';

export type VariableName = 'name' | 'owner' | 'company';
export const VARIABLE_NAMES: readonly VariableName[] = ['name', 'owner', 'company'];

/** What a step is rendered for; null when unknown, then the fallback below is used. */
export interface VariableValues {
  /** The lead's LINE display name. */
  name: string | null;
  /** The owner's name. */
  owner: string | null;
  /** COMPANY_NAME. */
  company: string | null;
}

/**
 * Part of the file's contract, in the file's language (the defaults are Japanese): they are not
 * LOCALE words. `{name}様` with no name reads 「お客様」, never 「お客様様」.
 */
export const VARIABLE_FALLBACKS: Record<VariableName, string> = {
  name: 'お客様',
  owner: '担当者',
  company: '私たち',
};

const VARIABLE = /\{([^{}\s]*)\}/g;

/** Machine fields: a variable there would break a URL or a postback. */
const NO_VARIABLE_KEYS = new Set([
  'uri',
  'originalContentUrl',
  'previewImageUrl',
  'thumbnailImageUrl',
  'imageUrl',
  'iconUrl',
  'data',
  'type',
  'packageId',
  'stickerId',
]);

export interface StringField {
  path: (string | number)[];
  key: string;
  value: string;
}

/** Every string in a message object, with its path below the message. */
export function stringFields(value: unknown, path: (string | number)[] = [], key = ''): StringField[] {
  if (typeof value === 'string') return [{ path, key, value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringFields(item, [...path, i], key));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => stringFields(v, [...path, k], k));
  return [];
}

/** The strings a lead reads (texts, titles, labels, alt texts), for the lint. */
export function readableFields(message: LineMessage): StringField[] {
  return stringFields(message).filter((field) => !NO_VARIABLE_KEYS.has(field.key));
}

/** Problems with the variables in one message: unknown names, or variables in URLs and postback data. */
export function variableProblems(message: LineMessage): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const field of stringFields(message)) {
    for (const match of field.value.matchAll(VARIABLE)) {
      const name = match[1] ?? '';
      if (NO_VARIABLE_KEYS.has(field.key)) {
        problems.push({ path: field.path, message: `variables are not allowed in ${field.key}: {${name}}` });
      } else if (!(VARIABLE_NAMES as readonly string[]).includes(name)) {
        problems.push({
          path: field.path,
          message: `unknown variable {${name}}: use {name}, {owner} or {company}`,
        });
      }
    }
  }
  return problems;
}

function renderText(text: string, values: VariableValues): string {
  return text.replace(/\{(name|owner|company)\}(様?)/g, (_all, name: VariableName, honorific: string) => {
    const value = values[name]?.trim();
    if (value) return `${value}${honorific}`;
    const fallback = VARIABLE_FALLBACKS[name];
    return name === 'name' ? fallback : `${fallback}${honorific}`;
  });
}

function renderValue(value: unknown, values: VariableValues, key: string): unknown {
  if (typeof value === 'string') return NO_VARIABLE_KEYS.has(key) ? value : renderText(value, values);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, values, key));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, values, k)]));
  return value;
}

/** A step's message templates with {name}, {owner} and {company} filled in, ready for LINE. */
export function renderMessages(messages: readonly LineMessage[], values: VariableValues): LineMessage[] {
  return messages.map((message) => renderValue(message, values, '') as LineMessage);
}

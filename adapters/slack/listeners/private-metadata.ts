import type { z } from 'zod';

/**
 * A modal's private_metadata read back through `schema`. Slack returns what we set, but the
 * payload comes from outside: anything unreadable is simply not valid.
 */
export function readPrivateMetadata<T>(schema: z.ZodType<T>, text: string): z.ZodSafeParseResult<T> {
  let value: unknown = null;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: the schema refuses null below.
  }
  return schema.safeParse(value);
}

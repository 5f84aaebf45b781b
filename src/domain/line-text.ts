/** LINE limits from the Messaging API reference (messaging-api.yml): text <= 5000 chars, <= 5 messages a push. */
export const LINE_TEXT_MAX = 5000;
export const LINE_MESSAGES_PER_PUSH = 5;
/** `sender.name` is at most 20 characters. */
export const LINE_SENDER_NAME_MAX = 20;

/**
 * Splits a rep's reply into LINE text messages. LINE counts UTF-16 code units (an emoji such as
 * 🍎 counts 2: https://developers.line.biz/en/docs/messaging-api/text-character-count/), so parts
 * are at most 5000 units and never cut a surrogate pair. Returns null when it needs more than one push.
 */
export function splitForLine(text: string): string[] | null {
  const parts = takeUnits(text, LINE_TEXT_MAX);
  return parts.length > LINE_MESSAGES_PER_PUSH ? null : parts;
}

export function senderNameFor(displayName: string | null, fallback: string): string {
  const name = (displayName ?? '').trim() || fallback;
  return takeUnits(name, LINE_SENDER_NAME_MAX)[0] ?? '';
}

/** Cuts text into chunks of at most `max` UTF-16 code units, on code point boundaries. */
function takeUnits(text: string, max: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const char of text) {
    if (current.length + char.length > max) {
      parts.push(current);
      current = '';
    }
    current += char;
  }
  if (current !== '') parts.push(current);
  return parts;
}

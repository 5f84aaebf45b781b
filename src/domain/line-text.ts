/** LINE limits from the Messaging API reference (messaging-api.yml): text <= 5000 chars, <= 5 messages a push. */
export const LINE_TEXT_MAX = 5000;
export const LINE_MESSAGES_PER_PUSH = 5;
/** `sender.name` is at most 20 characters. */
export const LINE_SENDER_NAME_MAX = 20;

/**
 * Splits a rep's reply into LINE text messages of at most 5000 characters (by code point, so a
 * surrogate pair is never cut). Returns null when it would need more than one push.
 */
export function splitForLine(text: string): string[] | null {
  const chars = Array.from(text);
  const parts: string[] = [];
  for (let i = 0; i < chars.length; i += LINE_TEXT_MAX) {
    parts.push(chars.slice(i, i + LINE_TEXT_MAX).join(''));
  }
  return parts.length > LINE_MESSAGES_PER_PUSH ? null : parts;
}

export function senderNameFor(displayName: string | null, fallback: string): string {
  const name = (displayName ?? '').trim() || fallback;
  return Array.from(name).slice(0, LINE_SENDER_NAME_MAX).join('');
}

/**
 * Escapes lead-written text for Slack mrkdwn so `<!channel>`, `<@U123>` or `<https://evil|bank>`
 * arrive as literal characters, never as mentions or disguised links.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The users a rep's Slack message mentions (`<@U123>` or `<@U123|name>`), each once. */
export function slackUserMentions(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(/<@([^<>|]+)(?:\|[^<>]*)?>/g), (match) => match[1] ?? ''))];
}

/**
 * Turns the text of a rep's Slack message into what a lead may read: Slack wraps links, mentions
 * and channels in <...> and escapes &, < and >. Links become their label or address; a person
 * becomes their name (Slack's label, else `nameOf`) and a channel `#name`, so no Slack id ever
 * reaches a lead: one with no name is dropped, as are @channel, @here, user groups and any other
 * special mention, which mean nothing outside Slack. A date shows its fallback text.
 * https://api.slack.com/reference/surfaces/formatting#retrieving-messages
 */
export function slackMarkupToPlain(
  text: string,
  nameOf: (userId: string) => string | undefined = () => undefined,
): string {
  let out = '';
  const dropped: number[] = [];
  let last = 0;
  for (const match of text.matchAll(/<([^<>]*)>/g)) {
    out += unescapeSlack(text.slice(last, match.index));
    const plain = plainOf(match[1] ?? '', nameOf);
    if (plain === null) dropped.push(out.length);
    else out += plain;
    last = match.index + match[0].length;
  }
  return tidyAround(out + unescapeSlack(text.slice(last)), dropped);
}

function plainOf(inner: string, nameOf: (userId: string) => string | undefined): string | null {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 || bar === inner.length - 1 ? undefined : unescapeSlack(inner.slice(bar + 1));
  if (target.startsWith('@')) return label ?? (nameOf(target.slice(1))?.trim() || null);
  if (target.startsWith('#')) return label === undefined ? null : `#${label}`;
  if (target.startsWith('!')) return (target.startsWith('!date^') && label) || null;
  if (label !== undefined) return label;
  const address = unescapeSlack(target);
  return address.startsWith('mailto:') ? address.slice('mailto:'.length) : address;
}

function unescapeSlack(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

const isSpace = (char: string | undefined) =>
  char === ' ' || char === '\t' || char === '\u00a0' || char === '\u3000';

/**
 * Closes the gaps dropped tokens left (`at` holds their positions, ascending) and touches nothing
 * else: the spaces around a gap become the one run before it (or after it), none at the start or
 * end of a line, and a line left with nothing on it goes.
 */
function tidyAround(text: string, at: number[]): string {
  let out = text;
  // Right to left, so that the positions still to visit stay valid.
  for (let i = at.length - 1; i >= 0; i--) {
    let first = at[i] as number;
    const lastAt = first;
    // Gaps with only spaces between them are one gap.
    while (i > 0 && isOnlySpace(out.slice(at[i - 1], first))) first = at[--i] as number;
    let start = first;
    while (isSpace(out[start - 1])) start--;
    let end = lastAt;
    while (isSpace(out[end])) end++;
    const lineStart = start === 0 || out[start - 1] === '\n';
    const lineEnd = end === out.length || out[end] === '\n';
    let keep = '';
    if (lineStart && lineEnd) {
      if (out[end] === '\n') end++;
      else if (start > 0) start--;
    } else if (!lineStart && !lineEnd) {
      keep = out.slice(start, first) || out.slice(lastAt, end);
    }
    out = out.slice(0, start) + keep + out.slice(end);
  }
  return out;
}

function isOnlySpace(text: string): boolean {
  return [...text].every(isSpace);
}

/**
 * Escapes lead-written text for Slack mrkdwn so `<!channel>`, `<@U123>` or `<https://evil|bank>`
 * arrive as literal characters, never as mentions or disguised links.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Turns the text of a rep's Slack message back into what the rep typed: Slack wraps links,
 * mentions and channels in <...> and escapes &, < and >.
 */
export function slackMarkupToPlain(
  text: string,
  userName: (id: string) => string | undefined = () => undefined,
) {
  const unwrapped = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 || bar === inner.length - 1 ? undefined : inner.slice(bar + 1);
    if (target.startsWith('@')) return `@${label ?? userName(target.slice(1)) ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
    if (label !== undefined) return label;
    return target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
  });
  return unwrapped.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

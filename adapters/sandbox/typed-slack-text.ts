// What Slack's servers make of the text a person types before the app sees it, so the sandbox
// delivers the same wire text real Slack would: `&`, `<` and `>` escaped as entities, links
// wrapped in <...>, a completed @name a mention, @channel/@here/@everyone special mentions.
// https://docs.slack.dev/messaging/formatting-message-text#escaping
// https://docs.slack.dev/interactivity/implementing-slash-commands#creating_commands (should_escape)

export interface MentionablePerson {
  id: string;
  name: string;
}

/**
 * Events carry a mention as `<@U123>`; a slash command with `should_escape` (our manifest sets
 * it) as `<@U123|name>`.
 */
export type SlackTextForm = 'message' | 'command';

const SPECIAL_MENTIONS = ['channel', 'here', 'everyone'];
// What Slack's linkifier takes for a URL: ASCII up to a space or a non-URL character.
const URL = /^https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/;
const TRAILING_PUNCTUATION = /[.,!?:;)\]']+$/;

export function escapeSlackEntities(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Turns typed text into Slack's wire form. A person is mentioned by `@` and their full name (what
 * the sandbox's mention completion inserts) or their user id; the longest name wins, so
 * `@田中 営業` is one person even when someone is called `田中`.
 */
export function typedSlackText(typed: string, people: MentionablePerson[], form: SlackTextForm): string {
  const byLength = [...people].sort((a, b) => b.name.length - a.name.length);
  let out = '';
  let plain = '';
  const flush = () => {
    out += escapeSlackEntities(plain);
    plain = '';
  };
  let i = 0;
  while (i < typed.length) {
    const rest = typed.slice(i);
    const atWordStart = i === 0 || !/[A-Za-z0-9]/.test(typed[i - 1] ?? '');
    const url = atWordStart ? URL.exec(rest)?.[0].replace(TRAILING_PUNCTUATION, '') : undefined;
    if (url) {
      flush();
      out += `<${escapeSlackEntities(url)}>`;
      i += url.length;
      continue;
    }
    if (typed[i] === '@' && atWordStart) {
      const mention = mentionAt(rest.slice(1), byLength, form);
      if (mention) {
        flush();
        out += mention.wire;
        i += 1 + mention.length;
        continue;
      }
    }
    plain += typed[i];
    i += 1;
  }
  flush();
  return out;
}

function mentionAt(
  after: string,
  people: MentionablePerson[],
  form: SlackTextForm,
): { wire: string; length: number } | undefined {
  const word = /^[A-Za-z0-9]+/.exec(after)?.[0] ?? '';
  const special = SPECIAL_MENTIONS.find((s) => s === word.toLowerCase());
  if (special) return { wire: `<!${special}>`, length: word.length };
  const byId = people.find((p) => p.id.toUpperCase() === word.toUpperCase());
  const byName = byId ? undefined : people.find((p) => after.startsWith(p.name));
  const person = byId ?? byName;
  if (!person) return undefined;
  const wire = form === 'command' ? `<@${person.id}|${escapeSlackEntities(person.name)}>` : `<@${person.id}>`;
  return { wire, length: byId ? word.length : person.name.length };
}

/**
 * The words of a slash command's text. A mention may carry a display name with spaces
 * (`<@U123|Sato Taro>`), so a `<…>` token is one word.
 */
export function commandWords(text: string): string[] {
  return text.trim().match(/<[^>]*>|\S+/g) ?? [];
}

/**
 * Splits `/tsuikyaku <text>` into the subcommand word ('' when there is none) and the text after
 * it, trimmed, with its mentions whole.
 */
export function splitSubcommand(text: string): { word: string; args: string } {
  const trimmed = text.trim();
  // The first word always starts the trimmed text.
  const word = commandWords(trimmed)[0] ?? '';
  return { word, args: trimmed.slice(word.length).trim() };
}

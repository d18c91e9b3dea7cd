/** The tags open-weight reasoning models (DeepSeek-R1, Qwen3, QwQ...) wrap their reasoning in when no host parser removes them. */
export const THINK_OPEN_TAG = '<think>';
export const THINK_CLOSE_TAG = '</think>';

/** Content whose inline reasoning was split out. */
export interface InlineReasoning {
  /** The text between the tags, verbatim; to the end of the content when the closing tag never came (cut by max_tokens). */
  reasoning: string;
  /** What follows the closing tag, without the whitespace right after it (the model's separator); '' when unterminated. */
  text: string;
}

const NON_WHITESPACE = /\S/;

/** Index of the first non-whitespace character (the set `trimStart` removes), or -1 when there is none. */
export function firstNonWhitespace(text: string): number {
  return text.search(NON_WHITESPACE);
}

/**
 * Splits a leading `<think>…</think>` block (after optional whitespace) off complete content;
 * undefined when the content does not start with the tag, so it stays exactly as sent.
 */
export function splitInlineReasoning(content: string): InlineReasoning | undefined {
  const start = firstNonWhitespace(content);
  if (start === -1 || !content.startsWith(THINK_OPEN_TAG, start)) return undefined;
  const from = start + THINK_OPEN_TAG.length;
  const end = content.indexOf(THINK_CLOSE_TAG, from);
  if (end === -1) return { reasoning: content.slice(from), text: '' };
  return { reasoning: content.slice(from, end), text: content.slice(end + THINK_CLOSE_TAG.length).trimStart() };
}

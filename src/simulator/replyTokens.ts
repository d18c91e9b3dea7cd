const REPLY_WORDS = 'This is a simulated reply from the Switchyard provider simulator, generated one token at a time for testing.'.split(' ');
const REASONING_WORDS = 'Let me think this through step by step before I answer.'.split(' ');

// Generated token lists depend only on (kind, count, variant), so benchmarks reuse them instead of rebuilding per request.
const cache = new Map<string, readonly string[]>();
const CACHE_LIMIT = 512;

function cycleWords(words: readonly string[], count: number, offset: number): string[] {
  const tokens: string[] = [];
  for (let index = 0; index < count; index++) {
    const word = words[(index + offset) % words.length] as string;
    tokens.push(index === 0 ? word : ` ${word}`);
  }
  return tokens;
}

function cached(key: string, build: () => string[]): readonly string[] {
  let tokens = cache.get(key);
  if (tokens === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    tokens = Object.freeze(build());
    cache.set(key, tokens);
  }
  return tokens;
}

/** `count` tokens of the generated reply sentence; `variant` shifts the start so n>1 choices differ. */
export function generatedReplyTokens(count: number, variant: number): readonly string[] {
  return cached(`reply:${count}:${variant}`, () => cycleWords(REPLY_WORDS, count, variant * 3));
}

/** `count` tokens of generated reasoning text. */
export function generatedReasoningTokens(count: number): readonly string[] {
  return cached(`reasoning:${count}`, () => cycleWords(REASONING_WORDS, count, 0));
}

/** Splits text into word tokens, each with its leading whitespace; trailing whitespace joins the last token. */
export function tokenizeText(text: string): string[] {
  const tokens = text.match(/\s*\S+/g) ?? [];
  const consumed = tokens.reduce((length, token) => length + token.length, 0);
  if (consumed < text.length) {
    if (tokens.length === 0) return [text];
    tokens[tokens.length - 1] += text.slice(consumed);
  }
  return tokens;
}

/** JSON replies have few spaces, so they are cut into 4-character tokens instead of words. */
export function tokenizeJson(json: string): string[] {
  const tokens: string[] = [];
  for (let start = 0; start < json.length; start += 4) tokens.push(json.slice(start, start + 4));
  return tokens;
}

export interface TopLogprob {
  token: string;
  logprob: number;
  bytes: number[];
}

export interface TokenLogprob extends TopLogprob {
  top_logprobs: TopLogprob[];
}

function utf8Bytes(text: string): number[] {
  return Array.from(Buffer.from(text, 'utf8'));
}

/**
 * OpenAI-shaped logprob entries for tokens, deterministic from each token's position in the reply:
 * the chosen token is always the most likely, followed by `top - 1` made-up alternatives.
 */
export function tokenLogprobs(tokens: readonly string[], firstPosition: number, top: number): TokenLogprob[] {
  return tokens.map((token, offset) => {
    const logprob = -(((firstPosition + offset) * 7) % 10 + 1) / 100;
    const bytes = utf8Bytes(token);
    const alternatives: TopLogprob[] = top > 0 ? [{ token, logprob, bytes }] : [];
    for (let rank = 1; rank < top; rank++) {
      const alternative = `${token.startsWith(' ') ? ' ' : ''}alt${rank}`;
      alternatives.push({ token: alternative, logprob: Math.round((logprob - 1.5 * rank) * 1e4) / 1e4, bytes: utf8Bytes(alternative) });
    }
    return { token, logprob, bytes, top_logprobs: alternatives };
  });
}

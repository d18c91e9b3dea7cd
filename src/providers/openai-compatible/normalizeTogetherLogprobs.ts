/**
 * Together answers `logprobs` in the legacy completions shape (`tokens`, `token_logprobs`, `top_logprobs` maps);
 * clients expect chat's `{content: [{token, logprob, bytes, top_logprobs}]}`. OpenAI's shape passes as it is;
 * anything else is dropped rather than handed to clients that would misread it.
 */
export function normalizeTogetherLogprobs(logprobs: unknown): unknown {
  if (logprobs === null || typeof logprobs !== 'object') return undefined;
  const raw = logprobs as Record<string, unknown>;
  if (Array.isArray(raw.content)) return logprobs;
  if (!Array.isArray(raw.tokens) || !Array.isArray(raw.token_logprobs)) return undefined;
  const values = raw.token_logprobs as unknown[];
  const tops = Array.isArray(raw.top_logprobs) ? (raw.top_logprobs as unknown[]) : [];
  const content = (raw.tokens as unknown[]).map((token, index) => {
    const text = typeof token === 'string' ? token : '';
    const value = values[index];
    const logprob = typeof value === 'number' ? value : 0;
    const top = tops[index];
    const alternatives =
      top !== null && typeof top === 'object'
        ? Object.entries(top as Record<string, unknown>)
            .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
            .map(([alternative, value]) => ({ token: alternative, logprob: value, bytes: bytesOf(alternative) }))
        : [];
    return { token: text, logprob, bytes: bytesOf(text), top_logprobs: alternatives };
  });
  return { content, refusal: null };
}

function bytesOf(text: string): number[] {
  return [...Buffer.from(text, 'utf8')];
}

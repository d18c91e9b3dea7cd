interface OpenAITokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
}

/**
 * A candidate's `logprobsResult` (`chosenCandidates` and `topCandidates`, one entry per decoding step) → OpenAI's
 * `{content: [...], refusal: null}`, zipped by position. Undefined when there is nothing to map.
 */
export function mapGeminiLogprobs(raw: unknown): { content: OpenAITokenLogprob[]; refusal: null } | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const result = raw as Record<string, unknown>;
  if (!Array.isArray(result.chosenCandidates) || result.chosenCandidates.length === 0) return undefined;
  const top = Array.isArray(result.topCandidates) ? (result.topCandidates as unknown[]) : [];
  const content = (result.chosenCandidates as unknown[]).map((chosen, step): OpenAITokenLogprob => {
    const alternatives = top[step] !== null && typeof top[step] === 'object' ? (top[step] as Record<string, unknown>).candidates : undefined;
    return {
      ...tokenLogprob(chosen),
      top_logprobs: Array.isArray(alternatives) ? (alternatives as unknown[]).map(tokenLogprob) : [],
    };
  });
  return { content, refusal: null };
}

function tokenLogprob(raw: unknown): { token: string; logprob: number; bytes: number[] | null } {
  const candidate = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const token = typeof candidate.token === 'string' ? candidate.token : '';
  return {
    token,
    logprob: typeof candidate.logProbability === 'number' ? candidate.logProbability : 0,
    bytes: [...Buffer.from(token, 'utf8')],
  };
}

import { tokenLogprobs } from '../tokenLogprobs.js';

/** The shared deterministic logprobs in Gemini's `logprobsResult` shape, one entry per decoding step. */
export function geminiLogprobsResult(tokens: readonly string[], firstPosition: number, top: number): Record<string, unknown> {
  const steps = tokenLogprobs(tokens, firstPosition, top);
  return {
    topCandidates: steps.map((step) => ({ candidates: step.top_logprobs.map((item, rank) => ({ token: item.token, tokenId: 1000 + rank, logProbability: item.logprob })) })),
    chosenCandidates: steps.map((step) => ({ token: step.token, tokenId: 1000, logProbability: step.logprob })),
  };
}

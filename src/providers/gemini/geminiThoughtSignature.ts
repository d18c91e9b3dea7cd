/** LiteLLM carries a Gemini signature in the tool-call id: `call_<uuid>__thought__<base64 signature>`. */
const LITELLM_SEPARATOR = '__thought__';

/**
 * Google's documented placeholder for a function call whose signature was lost (history from another provider or a
 * client that drops unknown fields); sent raw, as Vercel's AI SDK does.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** `{google: {thought_signature}}`: where Google's own OpenAI-compatible endpoint puts a signature (`extra_content`). */
export function googleExtraContent(signature: string): { google: { thought_signature: string } } {
  return { google: { thought_signature: signature } };
}

/** The signature inside an `extra_content` value, if it holds one. */
export function readExtraContentSignature(extraContent: unknown): string | undefined {
  if (extraContent === null || typeof extraContent !== 'object') return undefined;
  const google = (extraContent as Record<string, unknown>).google;
  if (google === null || typeof google !== 'object') return undefined;
  const signature = (google as Record<string, unknown>).thought_signature;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}

/** A tool-call id as Gemini should see it, and the signature a LiteLLM-style suffix carried. */
export function splitSignedId(id: string): { id: string; signature: string | undefined } {
  const at = id.indexOf(LITELLM_SEPARATOR);
  if (at < 0) return { id, signature: undefined };
  const signature = id.slice(at + LITELLM_SEPARATOR.length);
  return { id: id.slice(0, at), signature: signature === '' ? undefined : signature };
}

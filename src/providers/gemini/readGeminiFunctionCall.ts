import { googleExtraContent } from './geminiThoughtSignature.js';

export interface GeminiFunctionCall {
  id: string;
  name: string;
  /** The arguments as a JSON string, as OpenAI clients expect. */
  arguments: string;
  /** `extra_content.google.thought_signature` when the part was signed, for the client to echo back. */
  extra: { extra_content: ReturnType<typeof googleExtraContent> } | undefined;
}

/**
 * A `functionCall` part → an OpenAI-shaped call: Gemini's own id when it sent one (the Gemini API usually does not),
 * else a fresh `call_…` that stays the call's id from here on.
 */
export function readGeminiFunctionCall(part: Record<string, unknown>, newId: (prefix: string) => string): GeminiFunctionCall | undefined {
  const call = part.functionCall;
  if (call === null || typeof call !== 'object') return undefined;
  const fields = call as Record<string, unknown>;
  const signature = part.thoughtSignature;
  return {
    id: typeof fields.id === 'string' && fields.id !== '' ? fields.id : newId('call_'),
    name: typeof fields.name === 'string' ? fields.name : '',
    arguments: JSON.stringify(fields.args ?? {}),
    extra: typeof signature === 'string' && signature !== '' ? { extra_content: googleExtraContent(signature) } : undefined,
  };
}

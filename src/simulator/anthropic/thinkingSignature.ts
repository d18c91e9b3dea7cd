import { createHash } from 'node:crypto';

/**
 * The simulator's signature of a thinking block: a hash of its text, so a block sent back changed in any way (or
 * with a signature from elsewhere) is refused like Anthropic refuses it.
 */
export function thinkingSignature(thinking: string): string {
  return 'Sim' + createHash('sha256').update(`switchyard-simulator-thinking\n${thinking}`).digest('base64');
}

export function isValidThinkingSignature(thinking: string, signature: string): boolean {
  return signature === thinkingSignature(thinking);
}

const PREFIX = 'sim-thought:';
/** Google's documented placeholder for a lost signature; accepted like a real one. */
const SKIP = 'skip_thought_signature_validator';

/** An opaque base64 signature, as Gemini attaches to a part it produced while thinking. */
export function simulatedThoughtSignature(responseId: string, choice: number): string {
  return Buffer.from(`${PREFIX}${responseId}:${choice}`, 'utf8').toString('base64');
}

/** True for a signature this simulator issued (or Google's placeholder); anything else is "corrupted". */
export function isValidThoughtSignature(signature: string): boolean {
  return signature === SKIP || Buffer.from(signature, 'base64').toString('utf8').startsWith(PREFIX);
}

/** Masks a key the way OpenAI echoes it in 401 messages: first 3 and last 4 characters, stars between. */
export function maskApiKey(key: string): string {
  if (key.length <= 7) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

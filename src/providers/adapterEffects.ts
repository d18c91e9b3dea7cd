import { randomBytes } from 'node:crypto';

/** The only effects translators need: fresh ids and the time, injected so tests are repeatable. */
export interface AdapterEffects {
  newId(prefix: string): string;
  now(): number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (let index = 0; index < length; index++) id += ALPHABET[(bytes[index] as number) % ALPHABET.length];
  return id;
}

export const defaultAdapterEffects: AdapterEffects = { newId: (prefix) => randomId(prefix), now: () => Date.now() };

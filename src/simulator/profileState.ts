import { DEFAULT_BEHAVIOUR, mergeBehaviour, type Behaviour } from './behaviour.js';
import type { SimulatorProfile } from './simulatorOptions.js';
import { validateBehaviour } from './validateBehaviour.js';

const PROFILE_ID = /^[A-Za-z0-9._-]+$/;
const SEEN_MODELS_LIMIT = 1000;

/** A profile ready for serving: its behaviour pre-merged over the built-in defaults, and the models seen. */
export interface ProfileState {
  id: string;
  apiKey: string | undefined;
  base: Readonly<Behaviour>;
  models: Set<string>;
}

export function createProfileState(profile: SimulatorProfile): ProfileState {
  if (!PROFILE_ID.test(profile.id)) throw new TypeError(`Simulator profile id '${profile.id}' must match ${PROFILE_ID}.`);
  const defaults = profile.defaults === undefined ? undefined : validateBehaviour(profile.defaults, `Profile '${profile.id}' defaults`);
  const models = new Set(profile.models ?? []);
  if (defaults?.model !== undefined) models.add(defaults.model);
  return { id: profile.id, apiKey: profile.apiKey, base: Object.freeze(mergeBehaviour(DEFAULT_BEHAVIOUR, defaults)), models };
}

/** Remembers a requested model for `GET /v1/models`, bounded so random model names cannot grow memory. */
export function noteModel(profile: ProfileState, model: string): void {
  if (profile.models.size < SEEN_MODELS_LIMIT) profile.models.add(model);
}

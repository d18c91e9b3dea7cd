import { mergeBehaviour, type Behaviour } from './behaviour.js';
import { parseModelName } from './parseModelName.js';
import { noteModel, type ProfileState } from './profileState.js';
import type { ScriptBook } from './scriptBook.js';
import { SimulatorRequestError } from './simulatorRequestError.js';
import { validateBehaviour } from './validateBehaviour.js';

export const BEHAVIOUR_HEADER = 'x-sim-behaviour';

export interface ResolvedBehaviour {
  /** The requested model without its `@...` parameter suffix. */
  baseModel: string;
  behaviour: Behaviour;
}

function headerBehaviour(header: string | string[] | undefined): Partial<Behaviour> | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SimulatorRequestError(400, `The ${BEHAVIOUR_HEADER} header is not valid JSON.`);
  }
  return validateBehaviour(parsed, `The ${BEHAVIOUR_HEADER} header`);
}

/**
 * The behaviour of one request, whatever its protocol: profile defaults < model-name parameters < the first
 * matching script rule < the `x-sim-behaviour` header. Also remembers the model for model listings.
 */
export function resolveBehaviour(model: string, header: string | string[] | undefined, profile: ProfileState, scripts: ScriptBook): ResolvedBehaviour {
  const { baseModel, behaviour: modelBehaviour } = parseModelName(model);
  noteModel(profile, baseModel);
  // Header first: a malformed header is a 400 and must not use up a scripted rule.
  const fromHeader = headerBehaviour(header);
  const scripted = scripts.take(model, baseModel, profile.id);
  // Most benchmark requests have no overrides, so reuse the profile's pre-merged behaviour as is.
  const behaviour =
    modelBehaviour === undefined && scripted === undefined && fromHeader === undefined ? profile.base : mergeBehaviour(profile.base, modelBehaviour, scripted, fromHeader);
  return { baseModel, behaviour };
}

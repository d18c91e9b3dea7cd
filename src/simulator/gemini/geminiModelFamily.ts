/** What the simulator enforces per Gemini model, read from the id like Google's own validation does. */
export interface GeminiModelFamily {
  /** Gemini 3 and later: thinking levels, and signatures required on the current turn's function calls. */
  generation3: boolean;
  /** Thinking levels the model accepts (upper case), empty when it takes budgets only. */
  levels: readonly string[];
  /** Thinks at all (2.0 Flash, Gemma and image models do not). */
  thinks: boolean;
  /** Cannot switch thinking off with a budget of 0 (2.5 Pro, 3.x). */
  alwaysThinks: boolean;
  /** Takes presencePenalty / frequencyPenalty. */
  penalties: boolean;
  /** Takes systemInstruction (Gemma does not). */
  systemInstruction: boolean;
}

const ALL_LEVELS = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];

export function geminiModelFamily(model: string): GeminiModelFamily {
  const gemma = /^gemma-/.test(model);
  // A name that is not Google's (`sim-chat`) behaves like the newest generation, as the adapter assumes for unlisted ids.
  const generation3 = /^gemini-(?:[3-9]|\d\d)/.test(model) || (!gemma && !/^gemini-/.test(model));
  const thinks = generation3 || (/^gemini-2\.5-/.test(model) && !/-image/.test(model));
  return {
    generation3,
    levels: !generation3 ? [] : /^gemini-.*-pro/.test(model) ? ['LOW', 'HIGH'] : ALL_LEVELS,
    thinks,
    alwaysThinks: generation3 || /^gemini-2\.5-pro/.test(model),
    penalties: /^gemini-(?:2\.0|1\.5)-/.test(model),
    systemInstruction: !gemma,
  };
}

import type { Behaviour } from './behaviour.js';
import { validateBehaviour } from './validateBehaviour.js';

/** "The next `times` requests matching `match` behave like `behaviour`"; rules without `times` stay until cleared. */
export interface ScriptRule {
  match?: {
    /** A string matches the requested model exactly or without its `@...` suffix; a RegExp is tested on the requested model. */
    model?: string | RegExp;
    profile?: string;
  };
  behaviour: Partial<Behaviour>;
  times?: number;
}

interface ActiveRule {
  rule: ScriptRule;
  remaining: number | undefined;
}

/** Ordered script rules; the first matching rule applies and uses up one of its `times`. */
export class ScriptBook {
  private rules: ActiveRule[] = [];

  add(rule: ScriptRule): void {
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 0)) {
      throw new TypeError(`Script rule 'times' must be a non-negative integer, got ${String(rule.times)}.`);
    }
    validateBehaviour(rule.behaviour, 'Script rule behaviour');
    if (rule.times === 0) return;
    this.rules.push({ rule, remaining: rule.times });
  }

  clear(): void {
    this.rules = [];
  }

  /** The behaviour of the first rule matching this request, consuming one use of it. */
  take(requestedModel: string, baseModel: string, profileId: string): Partial<Behaviour> | undefined {
    for (let index = 0; index < this.rules.length; index++) {
      const active = this.rules[index] as ActiveRule;
      if (!matches(active.rule, requestedModel, baseModel, profileId)) continue;
      if (active.remaining !== undefined && --active.remaining <= 0) this.rules.splice(index, 1);
      return active.rule.behaviour;
    }
    return undefined;
  }
}

function matches(rule: ScriptRule, requestedModel: string, baseModel: string, profileId: string): boolean {
  const match = rule.match;
  if (match === undefined) return true;
  if (match.profile !== undefined && match.profile !== profileId) return false;
  const model = match.model;
  if (model === undefined) return true;
  if (typeof model === 'string') return model === requestedModel || model === baseModel;
  model.lastIndex = 0; // global/sticky RegExps keep state between test() calls
  return model.test(requestedModel);
}

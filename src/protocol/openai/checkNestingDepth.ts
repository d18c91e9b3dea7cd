import { invalidRequest } from '../../core/gatewayError.js';

/** Far deeper than any real request (JSON schemas included), far shallower than where recursive walkers overflow the stack. */
export const MAX_NESTING_DEPTH = 128;

/**
 * Rejects a body nested more than `maxDepth` levels (the body itself is level 1). Deeper bodies made
 * JSON.stringify throw RangeError downstream: a 500, or a "provider failure" that fenced off a healthy provider.
 * Iterative, so the check cannot overflow the stack itself.
 */
export function checkNestingDepth(body: unknown, maxDepth: number = MAX_NESTING_DEPTH): void {
  const pending: { value: object; depth: number }[] = [];
  if (body !== null && typeof body === 'object') pending.push({ value: body, depth: 1 });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.depth > maxDepth) throw invalidRequest(`The request body is nested more than ${maxDepth} levels deep.`);
    const depth = next.depth + 1;
    const value = next.value as Record<string, unknown>;
    // Indexed loops and for-in: Object.values would copy every array and object of the body once more.
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const child: unknown = value[index];
        if (child !== null && typeof child === 'object') pending.push({ value: child, depth });
      }
      continue;
    }
    for (const key in value) {
      const child = value[key];
      if (child !== null && typeof child === 'object') pending.push({ value: child, depth });
    }
  }
}

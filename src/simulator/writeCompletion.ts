import type { Behaviour } from './behaviour.js';
import type { CompletionPlan } from './planCompletion.js';
import { renderCompletionBody } from './renderCompletionBody.js';
import type { ResponseDelivery } from './responseDelivery.js';

/**
 * Writes the non-streamed answer after `ttftMs` plus the generation time at `tokensPerSecond`
 * (a real provider answers only once the whole reply is generated). Faults: `malformedChunkAt`
 * truncates the body into invalid JSON; `stopAfterChunks` sends half the declared body and destroys the socket.
 */
export function writeCompletion(plan: CompletionPlan, behaviour: Behaviour, delivery: ResponseDelivery, render: (plan: CompletionPlan) => string = renderCompletionBody): void {
  const longestChoice = plan.choices.reduce((longest, choice) => Math.max(longest, choice.completionTokens), 0);
  const generationMs = behaviour.tokensPerSecond > 0 ? (longestChoice / behaviour.tokensPerSecond) * 1000 : 0;
  delivery.timer.later(behaviour.ttftMs + generationMs, () => {
    const { response } = delivery;
    let body = render(plan);
    if (behaviour.malformedChunkAt !== undefined) body = body.slice(0, Math.floor(body.length / 2));
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...delivery.baseHeaders() });
    if (behaviour.stopAfterChunks !== undefined) {
      response.write(body.slice(0, Math.floor(body.length / 2)), () => delivery.destroy());
      return;
    }
    response.end(body);
  });
}

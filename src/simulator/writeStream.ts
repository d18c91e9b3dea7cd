import { performance } from 'node:perf_hooks';
import type { Behaviour } from './behaviour.js';
import { defaultErrorFields, openAiErrorBody } from './openAiErrorBody.js';
import type { StreamEvent } from './renderStreamEvents.js';
import type { ResponseDelivery } from './responseDelivery.js';

const STREAM_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' };
/** Events due within this many ms of a timer firing go out in the same write. */
const BATCH_TOLERANCE_MS = 1;

interface TimedEvent {
  event: StreamEvent;
  at: number;
}

/** What actually gets written once faults are applied: texts, their send times, and how the stream ends. */
interface StreamScript {
  texts: string[];
  times: number[];
  ending: 'end' | 'destroy';
  endAt: number;
}

/** Send times (ms after the request was handled) per `ttftMs`, `tokensPerSecond` and `headersFirst`, sorted. */
function timeEvents(events: StreamEvent[], behaviour: Behaviour): TimedEvent[] {
  const { ttftMs, tokensPerSecond, headersFirst } = behaviour;
  const msPerToken = tokensPerSecond > 0 ? 1000 / tokensPerSecond : 0;
  const emittedTokens: number[] = [];
  const lastGeneratedAt: number[] = [];
  let latest = 0;
  const timed = events.map((event): TimedEvent => {
    let at: number;
    if (event.kind === 'role') {
      at = headersFirst ? 0 : ttftMs;
    } else if (event.kind === 'generated') {
      const before = emittedTokens[event.choice] ?? 0;
      at = ttftMs + before * msPerToken;
      emittedTokens[event.choice] = before + event.tokens;
      lastGeneratedAt[event.choice] = at;
    } else if (event.kind === 'finish') {
      at = lastGeneratedAt[event.choice] ?? ttftMs;
    } else {
      at = latest;
    }
    latest = Math.max(latest, at);
    return { event, at };
  });
  // Stable sort: interleaved choices with different chunk sizes must still go out in time order.
  return timed.sort((first, second) => first.at - second.at);
}

function malformed(text: string): string {
  // Any strict prefix of a JSON object is invalid JSON.
  return `${text.slice(0, Math.max(7, Math.floor(text.length / 2)))}\n\n`;
}

/** OpenAI's mid-stream failure: a `data:` object with `error`, then the end (no [DONE]). */
export function openAiStreamErrorEvent(behaviour: Behaviour): string {
  const fields = defaultErrorFields(500);
  return `data: ${openAiErrorBody({
    message: behaviour.errorMessage ?? fields.message,
    type: behaviour.errorType ?? 'server_error',
    param: null,
    code: behaviour.errorCode ?? null,
  })}\n\n`;
}

/** Applies `malformedChunkAt`, `stopAfterChunks` and `streamErrorAt`, counting generated chunks (1-based). */
function applyFaults(timed: TimedEvent[], behaviour: Behaviour, errorEvent: (behaviour: Behaviour) => string): StreamScript {
  const { malformedChunkAt, stopAfterChunks, streamErrorAt } = behaviour;
  const script: StreamScript = { texts: [], times: [], ending: 'end', endAt: 0 };
  let generated = 0;
  for (const { event, at } of timed) {
    if (event.kind !== 'role') {
      if (stopAfterChunks === generated) {
        script.ending = 'destroy';
        script.endAt = at;
        return script;
      }
      if (streamErrorAt === generated) {
        script.texts.push(errorEvent(behaviour));
        script.times.push(at);
        script.endAt = at;
        return script;
      }
    }
    let text = event.text;
    if (event.kind === 'generated' && ++generated === malformedChunkAt) text = malformed(text);
    script.texts.push(text);
    script.times.push(at);
    script.endAt = at;
  }
  return script;
}

function isFaultless(behaviour: Behaviour): boolean {
  return behaviour.malformedChunkAt === undefined && behaviour.stopAfterChunks === undefined && behaviour.streamErrorAt === undefined;
}

/**
 * Writes a 200 SSE stream, paced with one timer at a time; with no latency and no faults it is a single write.
 * `errorEvent` renders the protocol's mid-stream failure for `streamErrorAt`.
 */
export function writeStream(events: StreamEvent[], behaviour: Behaviour, delivery: ResponseDelivery, errorEvent: (behaviour: Behaviour) => string = openAiStreamErrorEvent): void {
  const { response, timer } = delivery;
  const paced = behaviour.ttftMs > 0 || behaviour.tokensPerSecond > 0;
  if (!paced && isFaultless(behaviour)) {
    let all = '';
    for (const event of events) all += event.text;
    response.writeHead(200, { ...STREAM_HEADERS, ...delivery.baseHeaders() });
    response.end(all);
    return;
  }
  const script = applyFaults(paced ? timeEvents(events, behaviour) : events.map((event) => ({ event, at: 0 })), behaviour, errorEvent);
  const { texts, times } = script;
  const start = performance.now();
  let next = 0;
  const tick = (): void => {
    const elapsed = performance.now() - start + BATCH_TOLERANCE_MS;
    let batch = '';
    while (next < texts.length && (times[next] as number) <= elapsed) batch += texts[next++];
    if (batch !== '' && !response.headersSent) response.writeHead(200, { ...STREAM_HEADERS, ...delivery.baseHeaders() });
    if (next >= texts.length && script.endAt <= elapsed) {
      finish(batch);
      return;
    }
    if (batch !== '') response.write(batch);
    const due = next < texts.length ? (times[next] as number) : script.endAt;
    timer.later(due - (performance.now() - start), tick);
  };
  const finish = (batch: string): void => {
    if (script.ending === 'end') {
      if (!response.headersSent) response.writeHead(200, { ...STREAM_HEADERS, ...delivery.baseHeaders() });
      response.end(batch);
    } else if (batch !== '') {
      // Destroy only once the last chunks reached the socket, so the client sees them before the cut.
      response.write(batch, () => delivery.destroy());
    } else {
      delivery.destroy();
    }
  };
  tick();
}

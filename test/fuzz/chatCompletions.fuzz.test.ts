import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, errorTypeForStatus } from '../../src/core/errorCodes.js';
import { startStack, type Stack } from '../support/startStack.js';

/**
 * Random and mutated bodies for POST /v1/chat/completions: the gateway must never answer 500 or crash,
 * every error must be the contract's envelope, and it must keep serving. Runs through `app.inject` (the
 * upstream is the real simulator over a socket). Set FUZZ_SEED to replay a failure.
 */

const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const PARAMS = { ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true };

/** Statuses the contract uses for this route. */
const CONTRACT_STATUSES = new Set([200, 400, 401, 404, 413, 422, 429, 502, 503, 504]);
const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

type Json = unknown;

function validBody(): Record<string, Json> {
  return {
    model: 'test-model',
    messages: [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is the weather?' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
        ],
      },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      { role: 'user', content: 'Thanks' },
    ],
    temperature: 0.7,
    top_p: 0.9,
    max_tokens: 32,
    stop: ['END'],
    seed: 7,
    n: 1,
    user: 'user-1',
    tools: [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      },
    ],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    response_format: { type: 'text' },
    logprobs: false,
    stream: false,
    stream_options: { include_usage: true },
    gateway: { routing: { optimize: 'cost', max_fallback_attempts: 1, allow_fallbacks: true }, metadata: { trace: 't-1' } },
    extensions: { openai: { custom_flag: 1 } },
  };
}

/**
 * A very deep value, kept as a marker until serialisation: as a real object tree it would overflow
 * fast-check's own value printer. `serialize` expands it into raw JSON text.
 */
class DeepValue {
  constructor(readonly depth: number) {}
  toJSON(): string {
    return `\u0000deep:${this.depth}\u0000`;
  }
}

const DEEP_MARKER = /"\\u0000deep:(\d+)\\u0000"/g;

/** JSON text of a body, with every DeepValue expanded to that many nested arrays and objects. */
function serialize(body: Json): string {
  return (JSON.stringify(body) ?? 'null').replace(DEEP_MARKER, (_match, depth: string) => {
    const levels = Number(depth);
    let open = '';
    let close = '';
    for (let i = 0; i < levels; i++) {
      open += i % 2 === 0 ? '[' : '{"a":';
      close = (i % 2 === 0 ? ']' : '}') + close;
    }
    return `${open}1${close}`;
  });
}

function nest(depth: number, leaf: Json = 1): Json {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

/** Values that are wrong in interesting ways for almost any field. */
const weirdValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<Json>(
    null, true, false, 0, -0, -1, 1, 2, 10, 11, 0.5, 1e308, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e-320,
    '', ' ', 'null', '{}', '[]', 'test-model', 'test-model:ttft', 'ft:x:y:z', 'user', 'assistant', 'tool', 'function', 'system', 'developer',
    'auto', 'required', 'none', 'text', 'json_object', 'json_schema', 'high', 'max', 'off', 'pool', 'fallback', 'priority', 'zdr',
    'data:image/png;base64,AAAA', 'https://example.com/x.png', 'call_1', 'get_weather', [], {}, [null], [[]], { type: null },
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 12 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.integer({ min: 20, max: 300 }).map((depth) => nest(depth)),
  // Deep enough to overflow recursive code (JSON.stringify included) if the gateway does not refuse it first.
  fc.integer({ min: 2_000, max: 8_000 }).map((depth) => new DeepValue(depth)),
  fc.constant('x'.repeat(50_000)),
);

type Path = (string | number)[];

/** Every path in a JSON tree (the root is []); a DeepValue is a leaf (mutating its depth would break its serialisation). */
function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...prefix, index], out));
  else if (value !== null && typeof value === 'object' && !(value instanceof DeepValue)) for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  return out;
}

function parentOf(root: Json, path: Path): Record<string | number, Json> | undefined {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, Json>)[key];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string | number, Json>) : undefined;
}

interface Mutation {
  kind: 'set' | 'delete' | 'duplicate' | 'add';
  pick: number;
  key: string;
  value: Json;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('set', 'set', 'set', 'delete', 'duplicate', 'add'),
  pick: fc.nat(),
  key: fc.oneof(
    fc.constantFrom('model', 'messages', 'role', 'content', 'tools', 'tool_choice', 'stream', 'gateway', 'models', 'routing', 'extensions', 'name', 'type', 'max_completion_tokens', 'functions', 'function_call', 'cache_control', '__proto__', 'constructor', 'toString'),
    fc.string({ maxLength: 10 }),
  ),
  value: weirdValue,
});

function applyMutation(body: Json, change: Mutation): Json {
  const paths = pathsOf(body).filter((path) => path.length > 0);
  if (paths.length === 0) return body;
  const path = paths[change.pick % paths.length] as Path;
  const parent = parentOf(body, path);
  if (parent === undefined) return body;
  const last = path[path.length - 1] as string | number;
  switch (change.kind) {
    case 'set':
      parent[last] = change.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.push(structuredClone(parent[last]));
      else parent[`${String(last)}${change.key}`] = structuredClone(parent[last]);
      break;
    case 'add': {
      const target = parent[last];
      const host = target !== null && typeof target === 'object' && !Array.isArray(target) && !(target instanceof DeepValue) ? (target as Record<string, Json>) : parent;
      if (Array.isArray(host)) host.push(change.value);
      // defineProperty, so that `__proto__` becomes an own key (as JSON.parse would make it), not a prototype.
      else Object.defineProperty(host, change.key, { value: change.value, enumerable: true, writable: true, configurable: true });
      break;
    }
  }
  return body;
}

/** JSON text with `key` appearing twice at the top level (the later one wins when parsed). */
function withDuplicateKey(body: Json, key: string, value: Json): string {
  const text = serialize(body);
  if (!text.startsWith('{') || text === '{}') return text;
  return `{${JSON.stringify(key)}:${serialize(value)},${text.slice(1)}`;
}

interface Outcome {
  status: number;
  contentType: string;
  body: string;
}

describe('fuzzing POST /v1/chat/completions', () => {
  let stack: Stack;
  const seen = new Map<number, number>();

  beforeAll(async () => {
    stack = await startStack({ config: { limits: { max_body_bytes: 256 * 1024 } } });
  });
  afterAll(async () => {
    await stack.close();
  });

  async function send(payload: string, contentType: string | undefined = 'application/json'): Promise<Outcome> {
    const headers: Record<string, string> = { authorization: `Bearer ${stack.apiKey}` };
    if (contentType !== undefined) headers['content-type'] = contentType;
    const response = await stack.gateway.app.inject({ method: 'POST', url: '/v1/chat/completions', payload, headers });
    return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body: response.body };
  }

  /** The response obeys the contract: a known status, and a well-formed envelope for every error. */
  function check(outcome: Outcome, input: string): void {
    const context = `status ${outcome.status} for ${input.slice(0, 300)}\n→ ${outcome.body.slice(0, 300)}`;
    seen.set(outcome.status, (seen.get(outcome.status) ?? 0) + 1);
    expect(outcome.status, context).not.toBe(500);
    expect(CONTRACT_STATUSES.has(outcome.status), context).toBe(true);
    if (outcome.status === 200) {
      if (outcome.contentType.startsWith('text/event-stream')) {
        const events = outcome.body.split('\n\n').filter((block) => block.startsWith('data: '));
        const last = events.at(-1) ?? '';
        // A finished stream ends with [DONE]; a failed one with an error event in the envelope.
        if (last !== 'data: [DONE]') checkEnvelope(JSON.parse(last.slice('data: '.length)) as Json, undefined, context);
      } else {
        expect((JSON.parse(outcome.body) as { object?: string }).object, context).toBe('chat.completion');
      }
      return;
    }
    expect(outcome.contentType, context).toBe('application/json; charset=utf-8');
    checkEnvelope(JSON.parse(outcome.body) as Json, outcome.status, context);
  }

  function checkEnvelope(body: Json, status: number | undefined, context: string): void {
    expect(body !== null && typeof body === 'object' && !Array.isArray(body), context).toBe(true);
    const error = (body as { error?: Record<string, unknown> }).error;
    expect(error, context).toBeTypeOf('object');
    const { message, type, code, param } = error as Record<string, unknown>;
    expect(typeof message === 'string' && message.length > 0, context).toBe(true);
    expect(typeof code === 'string' && CODES.has(code), context).toBe(true);
    expect(code, context).not.toBe('internal_error');
    expect(param === null || typeof param === 'string', context).toBe(true);
    if (status !== undefined) expect(type, context).toBe(errorTypeForStatus(status));
  }

  it('the unmutated body is served (so mutations start from a valid request)', async () => {
    const outcome = await send(JSON.stringify(validBody()));
    expect(outcome.status, outcome.body).toBe(200);
  });

  it('random JSON values as the whole body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const payload = JSON.stringify(value) ?? 'null';
        check(await send(payload), payload);
      }),
      { ...PARAMS, numRuns: 100 },
    );
  });

  it('random objects with request-like keys', async () => {
    const requestLike = fc.dictionary(
      fc.constantFrom('model', 'messages', 'stream', 'tools', 'tool_choice', 'gateway', 'models', 'routing', 'extensions', 'n', 'max_tokens', 'temperature', 'response_format', 'functions', 'function_call', 'stop', 'logit_bias', 'reasoning_effort'),
      weirdValue,
      { maxKeys: 6 },
    );
    await fc.assert(
      fc.asyncProperty(requestLike, async (value) => {
        const payload = serialize(value);
        check(await send(payload), payload);
      }),
      { ...PARAMS, numRuns: 100 },
    );
  });

  it('mutations of a valid body (set, retype, drop, duplicate, add fields)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (changes, stream) => {
        let body: Json = validBody();
        if (stream) (body as Record<string, Json>).stream = true;
        for (const change of changes) body = applyMutation(body, change);
        const payload = serialize(body);
        check(await send(payload), payload);
      }),
      { ...PARAMS, numRuns: 250 },
    );
  });

  it('duplicate top-level keys in the JSON text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('model', 'messages', 'stream', 'gateway', 'tools', 'n'), weirdValue, async (key, value) => {
        const payload = withDuplicateKey(validBody(), key, value);
        check(await send(payload), payload);
      }),
      { ...PARAMS, numRuns: 40 },
    );
  });

  it('raw text bodies, with and without a JSON content type', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.jsonValue({ maxDepth: 2 }).map((value) => (JSON.stringify(value) ?? '').slice(0, -1)),
      fc.constantFrom('', ' ', '{', '}', 'null', '{"model":', '{"model":"test-model","messages":[{"role":"user","content":"hi"}]', '\u0000', '\ufeff{}'),
    );
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom<string | undefined>('application/json', undefined, 'text/plain', 'application/x-www-form-urlencoded'), async (payload, contentType) => {
        check(await send(payload, contentType), `${String(contentType)}: ${payload}`);
      }),
      { ...PARAMS, numRuns: 60 },
    );
  });

  it('keeps serving afterwards: a valid request, a stream, /health; no unhandled error was logged', async () => {
    const completion = await send(JSON.stringify(validBody()));
    expect(completion.status, completion.body).toBe(200);
    const stream = await send(JSON.stringify({ ...validBody(), stream: true }));
    expect(stream.status).toBe(200);
    expect(stream.body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect((await stack.gateway.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect(stack.logs.filter((line) => line.level === 50 || line.level === 60)).toEqual([]);
    // Both outcomes must have occurred, or the fuzzing exercised only one path.
    expect(seen.get(200) ?? 0).toBeGreaterThan(0);
    expect(seen.get(400) ?? 0).toBeGreaterThan(0);
  });
});

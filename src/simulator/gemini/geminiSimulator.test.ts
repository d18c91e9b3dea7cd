import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulatorServer.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke into response JSON whose shape is what is being tested
type Json = Record<string, any>;

const KEY = 'AIza-sim-key';
let simulator: Simulator;
let root: string;

beforeAll(async () => {
  simulator = await startSimulator({ profiles: [{ id: 'google', apiKey: KEY }] });
  root = simulator.profileRoot('google');
});
afterAll(async () => {
  await simulator.close();
});
afterEach(() => {
  simulator.clearScripts();
  simulator.clearRequests();
});

const HELLO = [{ role: 'user', parts: [{ text: 'Hello there' }] }];
const WEATHER = { name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const TIME = { name: 'get_time', parametersJsonSchema: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } };

interface Call {
  model?: string;
  method?: 'generateContent' | 'streamGenerateContent?alt=sse' | 'streamGenerateContent';
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  behaviour?: Record<string, unknown>;
  query?: string;
}

async function call({ model = 'gemini-2.5-flash', method = 'generateContent', body = {}, headers = { 'x-goog-api-key': KEY }, behaviour, query = '' }: Call) {
  const separator = method.includes('?') ? '&' : '?';
  const response = await fetch(`${root}/v1beta/models/${encodeURIComponent(model)}:${method}${query === '' ? '' : separator + query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, ...(behaviour === undefined ? {} : { 'x-sim-behaviour': JSON.stringify(behaviour) }) },
    body: JSON.stringify({ contents: HELLO, ...body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function json(options: Call): Promise<Json> {
  const response = await call(options);
  expect(response.status, response.text).toBe(200);
  return JSON.parse(response.text) as Json;
}

/** The `data:` payloads of a Gemini SSE body: every event one `data: {...}` line and a blank line, no [DONE]. */
async function stream(options: Call): Promise<Json[]> {
  const response = await call({ ...options, method: 'streamGenerateContent?alt=sse' });
  expect(response.status, response.text).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  expect(response.text.endsWith('\n\n')).toBe(true);
  const events = response.text.slice(0, -2).split('\n\n');
  for (const event of events) expect(event).toMatch(/^data: \{[^\n]+\}$/);
  return events.map((event) => JSON.parse(event.slice('data: '.length)) as Json);
}

async function googleError(options: Call): Promise<{ status: number; error: Json }> {
  const response = await call(options);
  return { status: response.status, error: (JSON.parse(response.text) as Json).error as Json };
}

describe('generateContent', () => {
  it('answers with Google\'s GenerateContentResponse shape', async () => {
    const body = await json({ behaviour: { completionTokens: 5 } });
    expect(Object.keys(body)).toEqual(['candidates', 'usageMetadata', 'modelVersion', 'responseId']);
    expect(body.candidates).toEqual([{ content: { parts: [{ text: 'This is a simulated reply' }], role: 'model' }, finishReason: 'STOP', index: 0 }]);
    expect(body.usageMetadata).toEqual({ promptTokenCount: 6, candidatesTokenCount: 5, totalTokenCount: 11, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 6 }] });
    expect(body.modelVersion).toBe('gemini-2.5-flash');
    expect(body.responseId).toMatch(/^\w+$/);
  });

  it('takes behaviour from the model name in the path, and reports cached tokens', async () => {
    const body = await json({ model: 'gemini-2.5-flash@tokens=2,cached=4' });
    expect(body.candidates[0].content.parts).toEqual([{ text: 'This is' }]);
    expect(body.usageMetadata).toMatchObject({ promptTokenCount: 6, cachedContentTokenCount: 4, candidatesTokenCount: 2 });
    expect(body.modelVersion).toBe('gemini-2.5-flash');
  });

  it('calls tools as whole functionCall parts without ids, and answers tool results with text', async () => {
    const body = await json({ behaviour: { toolCalls: 2 }, body: { tools: [{ functionDeclarations: [WEATHER, TIME] }] } });
    const parts = body.candidates[0].content.parts as Json[];
    expect(parts.map((part) => part.functionCall.name)).toEqual(['get_weather', 'get_time']);
    expect(parts[0]!.functionCall.args).toEqual({ city: expect.any(String) });
    expect(parts[0]!.functionCall).not.toHaveProperty('id');
    expect(body.candidates[0].finishReason).toBe('STOP');

    const answered = await json({
      body: {
        tools: [{ functionDeclarations: [WEATHER] }],
        contents: [...HELLO, { role: 'model', parts: [parts[0]] }, { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] }],
      },
    });
    expect(answered.candidates[0].content.parts[0].text).toEqual(expect.any(String));
  });

  it('honours NONE, and ANY with allowedFunctionNames', async () => {
    const tools = [{ functionDeclarations: [WEATHER, TIME] }];
    const none = await json({ body: { tools, toolConfig: { functionCallingConfig: { mode: 'NONE' } } } });
    expect(none.candidates[0].content.parts[0]).toHaveProperty('text');
    const named = await json({ body: { tools, toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } } } });
    expect(named.candidates[0].content.parts[0].functionCall.name).toBe('get_time');
  });

  it('signs the first function call when the model thinks (Gemini 3), and shows thoughts only with includeThoughts', async () => {
    const tools = [{ functionDeclarations: [WEATHER, TIME] }];
    const hidden = await json({ model: 'gemini-3.5-flash', behaviour: { toolCalls: 2, reasoningTokens: 4 }, body: { tools } });
    const parts = hidden.candidates[0].content.parts as Json[];
    expect(parts).toHaveLength(2);
    expect(parts[0]!.thoughtSignature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(parts[1]).not.toHaveProperty('thoughtSignature');
    expect(hidden.usageMetadata).toMatchObject({ thoughtsTokenCount: 4 });

    const shown = await json({ model: 'gemini-3.5-flash', behaviour: { reasoningTokens: 4, completionTokens: 3 }, body: { generationConfig: { thinkingConfig: { thinkingLevel: 'low', includeThoughts: true } } } });
    expect(shown.candidates[0].content.parts).toEqual([
      { text: 'Let me think this', thought: true },
      { text: 'This is a', thoughtSignature: expect.any(String) },
    ]);
    expect(shown.usageMetadata).toMatchObject({ candidatesTokenCount: 3, thoughtsTokenCount: 4, totalTokenCount: shown.usageMetadata.promptTokenCount + 7 });
  });

  it('does not think with a thinking budget of 0', async () => {
    const body = await json({ behaviour: { reasoningTokens: 4 }, body: { generationConfig: { thinkingConfig: { thinkingBudget: 0 } } } });
    expect(body.usageMetadata).not.toHaveProperty('thoughtsTokenCount');
    expect(body.candidates[0].content.parts[0]).not.toHaveProperty('thoughtSignature');
  });

  it('maps maxOutputTokens, stopSequences, candidateCount, JSON schema and logprobs', async () => {
    const limited = await json({ behaviour: { completionTokens: 10 }, body: { generationConfig: { maxOutputTokens: 3 } } });
    expect(limited.candidates[0]).toMatchObject({ finishReason: 'MAX_TOKENS', content: { parts: [{ text: 'This is a' }] } });
    const stopped = await json({ body: { generationConfig: { stopSequences: [' simulated'] } } });
    expect(stopped.candidates[0].content.parts[0].text).toBe('This is a');
    const two = await json({ body: { generationConfig: { candidateCount: 2 } } });
    expect(two.candidates.map((candidate: Json) => candidate.index)).toEqual([0, 1]);
    const schema = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] };
    const structured = await json({ body: { generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema } } });
    expect(JSON.parse(structured.candidates[0].content.parts[0].text as string)).toEqual({ summary: expect.any(String) });
    const withLogprobs = await json({ behaviour: { completionTokens: 2 }, body: { generationConfig: { responseLogprobs: true, logprobs: 2 } } });
    expect(withLogprobs.candidates[0].logprobsResult.chosenCandidates).toHaveLength(2);
    expect(withLogprobs.candidates[0].logprobsResult.topCandidates[0].candidates).toHaveLength(2);
    expect(withLogprobs.candidates[0].avgLogprobs).toEqual(expect.any(Number));
  });

  it('records the request as sent', async () => {
    await json({ body: { generationConfig: { temperature: 0.2 } } });
    const recorded = simulator.requests.at(-1)!;
    expect(recorded).toMatchObject({ profile: 'google', method: 'POST', path: '/p/google/v1beta/models/gemini-2.5-flash:generateContent', status: 200, completed: true });
    expect(recorded.body).toEqual({ contents: HELLO, generationConfig: { temperature: 0.2 } });
  });
});

describe('streamGenerateContent?alt=sse', () => {
  it('streams whole responses with usage on every chunk and finishReason only on the last, without [DONE]', async () => {
    const chunks = await stream({ behaviour: { completionTokens: 4, chunks: 2 } });
    expect(chunks).toHaveLength(3);
    for (const chunk of chunks) {
      expect(Object.keys(chunk)).toEqual(['candidates', 'usageMetadata', 'modelVersion', 'responseId']);
      expect(chunk.responseId).toBe(chunks[0]!.responseId);
    }
    expect(chunks.map((chunk) => chunk.candidates[0].content.parts[0].text)).toEqual(['This is', ' a simulated', '']);
    expect(chunks.map((chunk) => chunk.candidates[0].finishReason)).toEqual([undefined, undefined, 'STOP']);
    expect(chunks[0]!.usageMetadata).toEqual({ promptTokenCount: 6, totalTokenCount: 6, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 6 }] });
    expect(chunks[2]!.usageMetadata).toEqual({ promptTokenCount: 6, candidatesTokenCount: 4, totalTokenCount: 10, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 6 }] });
  });

  it('sends parallel function calls whole in one chunk, the first signed, then the finishing chunk', async () => {
    const chunks = await stream({ model: 'gemini-3.1-pro-preview', behaviour: { toolCalls: 2, reasoningTokens: 3 }, body: { tools: [{ functionDeclarations: [WEATHER, TIME] }], generationConfig: { thinkingConfig: { thinkingLevel: 'HIGH', includeThoughts: true } } } });
    expect(chunks).toHaveLength(3);
    expect(chunks[0]!.candidates[0].content.parts).toEqual([{ text: 'Let me think', thought: true }]);
    const calls = chunks[1]!.candidates[0].content.parts as Json[];
    expect(calls.map((part) => [part.functionCall.name, typeof part.thoughtSignature])).toEqual([
      ['get_weather', 'string'],
      ['get_time', 'undefined'],
    ]);
    expect(chunks[2]!.candidates[0]).toMatchObject({ finishReason: 'STOP', content: { parts: [{ text: '' }] } });
    expect(chunks[2]!.usageMetadata).toMatchObject({ thoughtsTokenCount: 3 });
  });

  it('signs the finishing part of a thinking text answer', async () => {
    const chunks = await stream({ model: 'gemini-3.5-flash', behaviour: { completionTokens: 1 } });
    expect(chunks.at(-1)!.candidates[0].content.parts).toEqual([{ text: '', thoughtSignature: expect.any(String) }]);
  });

  it('answers one JSON array without alt=sse', async () => {
    const response = await call({ method: 'streamGenerateContent', behaviour: { completionTokens: 2 } });
    expect(response.status).toBe(200);
    const array = JSON.parse(response.text) as Json[];
    expect(array.at(-1)!.candidates[0].finishReason).toBe('STOP');
  });
});

describe('API keys', () => {
  it('accepts the key as x-goog-api-key or ?key=', async () => {
    expect((await call({})).status).toBe(200);
    expect((await call({ headers: {}, query: `key=${KEY}` })).status).toBe(200);
  });

  it.each([
    ['a wrong header', { headers: { 'x-goog-api-key': 'AIza-wrong' } }],
    ['a wrong ?key=', { headers: {}, query: 'key=AIza-wrong' }],
  ])('answers %s with 400 INVALID_ARGUMENT, reason API_KEY_INVALID, like Google', async (_name, options) => {
    const { status, error } = await googleError(options);
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' });
    expect(error.details).toEqual([expect.objectContaining({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' })]);
  });

  it('answers a missing key with 403 PERMISSION_DENIED', async () => {
    expect(await googleError({ headers: {} })).toMatchObject({ status: 403, error: { code: 403, status: 'PERMISSION_DENIED' } });
  });
});

describe('Gemini validation errors', () => {
  const SIGNED_HISTORY = (signature: string | undefined, model = 'gemini-3.5-flash') => ({
    model,
    body: {
      tools: [{ functionDeclarations: [WEATHER] }],
      contents: [
        { role: 'user', parts: [{ text: 'old' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 1 } } }] },
        { role: 'model', parts: [{ text: 'Cold.' }] },
        { role: 'user', parts: [{ text: 'And Paris?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, ...(signature === undefined ? {} : { thoughtSignature: signature }) }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 18 } } }] },
      ],
    },
  });

  it.each<[string, Call, string]>([
    ['empty parts', { body: { contents: [{ role: 'user', parts: [] }] } }, 'contents.parts must not be empty'],
    ['no contents', { body: { contents: [] } }, 'contents is not specified'],
    ['a bad role', { body: { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] } }, 'Please use a valid role: user, model.'],
    ['a functionResponse without name', { body: { contents: [...HELLO, { role: 'user', parts: [{ functionResponse: { response: { a: 1 } } }] }] } }, 'function_response.name: Name cannot be empty'],
    ['a functionResponse with a string response', { body: { contents: [...HELLO, { role: 'user', parts: [{ functionResponse: { name: 'f', response: 'text' } }] }] } }, "function_response.response' (type.googleapis.com/google.protobuf.Struct)"],
    ['an OBJECT with empty properties', { body: { tools: [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object', properties: {} } }] }] } }, 'properties: should be non-empty for OBJECT type'],
    ['a nested OBJECT with empty properties', { body: { tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'OBJECT', properties: { a: { type: 'OBJECT', properties: {} } } } }] }] } }, 'should be non-empty for OBJECT type'],
    ['$schema in parametersJsonSchema', { body: { tools: [{ functionDeclarations: [{ ...WEATHER, parametersJsonSchema: { ...WEATHER.parametersJsonSchema, $schema: 'x' } }] }] } }, 'Unknown name "$schema"'],
    ['both thinking budget and level', { model: 'gemini-3.5-flash', body: { generationConfig: { thinkingConfig: { thinkingBudget: 100, thinkingLevel: 'LOW' } } } }, 'only set one of thinking budget and thinking level'],
    ['a thinking level on 2.5', { body: { generationConfig: { thinkingConfig: { thinkingLevel: 'LOW' } } } }, 'Thinking level is not supported'],
    ['a level Gemini 3 Pro lacks', { model: 'gemini-3.1-pro-preview', body: { generationConfig: { thinkingConfig: { thinkingLevel: 'MEDIUM' } } } }, 'Thinking level MEDIUM is not supported'],
    ['budget 0 on 2.5 Pro', { model: 'gemini-2.5-pro', body: { generationConfig: { thinkingConfig: { thinkingBudget: 0 } } } }, 'Budget 0 is invalid'],
    ['thinking on a model that does not think', { model: 'gemini-2.0-flash', body: { generationConfig: { thinkingConfig: { thinkingBudget: 100 } } } }, 'Thinking is not enabled'],
    ['a system instruction to Gemma', { model: 'gemma-3-27b-it', body: { systemInstruction: { parts: [{ text: 'Be brief.' }] } } }, 'Developer instruction is not enabled'],
    ['penalties on 2.5', { body: { generationConfig: { presencePenalty: 0.5 } } }, 'Penalty is not enabled for models/gemini-2.5-flash'],
    ['allowedFunctionNames with AUTO', { body: { tools: [{ functionDeclarations: [WEATHER] }], toolConfig: { functionCallingConfig: { mode: 'AUTO', allowedFunctionNames: ['get_weather'] } } } }, 'allowed_function_names'],
    ['a Gemini 3 call of the current turn without its signature', SIGNED_HISTORY(undefined), 'Function call is missing a thought_signature'],
    ['a corrupted signature', SIGNED_HISTORY('bm90IG91cnM='), 'Corrupted thought signature'],
  ])('answers %s with 400 INVALID_ARGUMENT', async (_name, options, message) => {
    const { status, error } = await googleError(options);
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(error.message).toContain(message);
  });

  it('accepts unsigned calls of earlier turns, Google\'s placeholder, and any history on Gemini 2.5', async () => {
    expect((await call(SIGNED_HISTORY('skip_thought_signature_validator'))).status).toBe(200);
    expect((await call(SIGNED_HISTORY(undefined, 'gemini-2.5-flash'))).status).toBe(200);
  });

  it('accepts the signature it issued when the call comes back', async () => {
    const first = await json({ model: 'gemini-3.5-flash', body: { tools: [{ functionDeclarations: [WEATHER] }] } });
    const callPart = first.candidates[0].content.parts[0] as Json;
    const contents = [...HELLO, { role: 'model', parts: [callPart] }, { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 18 } } }] }];
    expect((await call({ model: 'gemini-3.5-flash', body: { tools: [{ functionDeclarations: [WEATHER] }], contents } })).status).toBe(200);
  });
});

describe('faults', () => {
  it('sends a scripted 429 as RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo, and no Retry-After header', async () => {
    const response = await call({ behaviour: { status: 429, retryAfter: 30 } });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
    const error = (JSON.parse(response.text) as Json).error as Json;
    expect(error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('exceeded your current quota') });
    expect(error.details).toEqual([
      expect.objectContaining({ '@type': 'type.googleapis.com/google.rpc.QuotaFailure' }),
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '30s' },
    ]);
  });

  it('names the rpc status and ErrorInfo reason from errorCode and errorType, and sends raw bodies as given', async () => {
    expect(await googleError({ behaviour: { status: 503 } })).toEqual({ status: 503, error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
    const custom = await googleError({ behaviour: { status: 400, errorCode: 'FAILED_PRECONDITION', errorType: 'BILLING_DISABLED', errorMessage: 'Billing is off.' } });
    expect(custom.error).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION', message: 'Billing is off.', details: [expect.objectContaining({ reason: 'BILLING_DISABLED' })] });
    const raw = await call({ behaviour: { status: 502, errorBody: '<html>Bad gateway</html>' } });
    expect(raw).toMatchObject({ status: 502, text: '<html>Bad gateway</html>' });
  });

  it('ends a stream with an {error} data event at streamErrorAt', async () => {
    const response = await call({ method: 'streamGenerateContent?alt=sse', behaviour: { completionTokens: 4, streamErrorAt: 2, errorCode: 'UNAVAILABLE' } });
    const events = response.text.trim().split('\n\n');
    expect(events).toHaveLength(3);
    expect(JSON.parse(events[2]!.slice('data: '.length))).toEqual({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
  });

  it('cuts a stream after stopAfterChunks and breaks a chunk at malformedChunkAt', async () => {
    const url = `${root}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`;
    const init = (behaviour: Record<string, unknown>): RequestInit => ({
      method: 'POST',
      headers: { 'x-goog-api-key': KEY, 'x-sim-behaviour': JSON.stringify(behaviour) },
      body: JSON.stringify({ contents: HELLO }),
    });
    const cut = await fetch(url, init({ completionTokens: 4, stopAfterChunks: 2 }));
    await expect(cut.text()).rejects.toThrow();
    const broken = await (await fetch(url, init({ completionTokens: 3, malformedChunkAt: 2 }))).text();
    const payloads = broken.trim().split('\n\n').map((event) => event.slice('data: '.length));
    expect(() => JSON.parse(payloads[1]!)).toThrow();
    expect(JSON.parse(payloads[0]!)).toHaveProperty('candidates');
  });

  it('waits ttftMs before the first chunk', async () => {
    const started = Date.now();
    await stream({ behaviour: { ttftMs: 150, completionTokens: 2 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
  });
});

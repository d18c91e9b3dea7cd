import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startSimulator, type Simulator } from './simulatorServer.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke into response JSON whose shape is what is being tested
type LooseJson = Record<string, any>;

let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ profiles: [{ id: 'keyed', apiKey: 'sk-secret-0123456789' }, { id: 'fast', models: ['listed-model'] }] });
});
afterAll(async () => {
  await simulator.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await request(`${simulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: text.startsWith('{') ? (JSON.parse(text) as LooseJson) : undefined };
}

const hello = [{ role: 'user', content: 'Hello there, simulator!' }];

describe('non-streamed chat completion', () => {
  it('has OpenAI shape, key order, usage and headers', async () => {
    const { status, headers, text, json } = await post('/v1/chat/completions', { model: 'sim-chat', messages: hello });
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    expect(headers['openai-processing-ms']).toMatch(/^\d+$/);
    expect(Object.keys(json!)).toEqual(['id', 'object', 'created', 'model', 'choices', 'usage', 'service_tier', 'system_fingerprint']);
    expect(json!.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(json!.object).toBe('chat.completion');
    expect(Math.abs(json!.created - Date.now() / 1000)).toBeLessThan(5);
    expect(json!.model).toBe('sim-chat');
    expect(json!.service_tier).toBe('default');
    expect(json!.system_fingerprint).toBe('fp_sim');
    const choice = json!.choices[0];
    expect(Object.keys(choice)).toEqual(['index', 'message', 'logprobs', 'finish_reason']);
    expect(Object.keys(choice.message)).toEqual(['role', 'content', 'refusal', 'annotations']);
    expect(choice).toMatchObject({ index: 0, logprobs: null, finish_reason: 'stop', message: { role: 'assistant', refusal: null, annotations: [] } });
    expect(choice.message.content).toBe('This is a simulated reply from the Switchyard provider simulator, generated one');
    // ceil(23 chars / 4) + 3 per message = 9
    expect(json!.usage).toEqual({
      prompt_tokens: 9,
      completion_tokens: 12,
      total_tokens: 21,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
    expect(text).not.toContain('\n');
    expect(simulator.requests.find((recorded) => recorded.id === headers['x-request-id'])).toMatchObject({ profile: 'default', method: 'POST', path: '/v1/chat/completions', completed: true, aborted: false, status: 200 });
  });

  it('counts completion tokens as words of replyText and reasoning tokens inside completion tokens', async () => {
    const { json } = await post('/v1/chat/completions', { model: 'm', messages: hello }, { 'x-sim-behaviour': JSON.stringify({ replyText: 'One two three.', reasoningTokens: 5, reasoningText: 'reasoning_content', cachedTokens: 4 }) });
    expect(json!.choices[0].message.content).toBe('One two three.');
    expect(json!.choices[0].message.reasoning_content).toBe('Let me think this through');
    expect(Object.keys(json!.choices[0].message)).toEqual(['role', 'content', 'reasoning_content', 'refusal', 'annotations']);
    expect(json!.usage.completion_tokens).toBe(8);
    expect(json!.usage.completion_tokens_details.reasoning_tokens).toBe(5);
    expect(json!.usage.prompt_tokens_details.cached_tokens).toBe(4);
  });

  it('clamps cached tokens to the prompt tokens and hides reasoning text by default', async () => {
    const { json } = await post('/v1/chat/completions', { model: 'm@cached=1000,reasoning=3', messages: hello });
    expect(json!.usage.prompt_tokens_details.cached_tokens).toBe(json!.usage.prompt_tokens);
    expect(json!.choices[0].message).not.toHaveProperty('reasoning_content');
    expect(json!.usage.completion_tokens).toBe(15);
  });

  it('returns n choices with summed usage', async () => {
    const { json } = await post('/v1/chat/completions', { model: 'm@tokens=4', n: 2, messages: hello });
    expect(json!.choices.map((choice: { index: number }) => choice.index)).toEqual([0, 1]);
    expect(json!.choices[0].message.content).not.toBe(json!.choices[1].message.content);
    expect(json!.usage.completion_tokens).toBe(8);
  });

  it('cuts at a stop string and caps with max tokens (finish_reason length)', async () => {
    const stopped = await post('/v1/chat/completions', { model: 'm', stop: [' reply', 'zzz'], messages: hello });
    expect(stopped.json!.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'This is a simulated' } });
    expect(stopped.json!.usage.completion_tokens).toBe(4);
    const capped = await post('/v1/chat/completions', { model: 'm', max_completion_tokens: 3, messages: hello });
    expect(capped.json!.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'This is a' } });
    expect(capped.json!.usage.completion_tokens).toBe(3);
    const legacy = await post('/v1/chat/completions', { model: 'm', max_tokens: 2, messages: hello });
    expect(legacy.json!.choices[0].finish_reason).toBe('length');
    const reasoningEatsBudget = await post('/v1/chat/completions', { model: 'm@reasoning=10', max_completion_tokens: 6, messages: hello });
    expect(reasoningEatsBudget.json!.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: '' } });
    expect(reasoningEatsBudget.json!.usage).toMatchObject({ completion_tokens: 6, completion_tokens_details: { reasoning_tokens: 6 } });
  });

  it('includes logprobs in OpenAI shape', async () => {
    const { json } = await post('/v1/chat/completions', { model: 'm@tokens=3', logprobs: true, top_logprobs: 2, messages: hello });
    const logprobs = json!.choices[0].logprobs;
    expect(logprobs.refusal).toBeNull();
    expect(logprobs.content.map((entry: { token: string }) => entry.token)).toEqual(['This', ' is', ' a']);
    const first = logprobs.content[0];
    expect(Object.keys(first)).toEqual(['token', 'logprob', 'bytes', 'top_logprobs']);
    expect(first.bytes).toEqual([84, 104, 105, 115]);
    expect(first.top_logprobs).toHaveLength(2);
    expect(first.top_logprobs[0]).toEqual({ token: 'This', logprob: first.logprob, bytes: first.bytes });
    expect(first.logprob).toBeLessThan(0);
  });

  it('answers JSON for response_format json_object and json_schema', async () => {
    const object = await post('/v1/chat/completions', { model: 'm', response_format: { type: 'json_object' }, messages: hello });
    expect(JSON.parse(object.json!.choices[0].message.content)).toEqual({ ok: true });
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, note: { type: 'string' } },
      required: ['city', 'days', 'unit'],
      additionalProperties: false,
    };
    const typed = await post('/v1/chat/completions', { model: 'm', response_format: { type: 'json_schema', json_schema: { name: 'w', schema, strict: true } }, messages: hello });
    expect(JSON.parse(typed.json!.choices[0].message.content)).toEqual({ city: 'Paris', days: 1, unit: 'celsius' });
  });

  it('echoes the configured model, fingerprint and service tier', async () => {
    const { json } = await post('/v1/chat/completions', { model: 'm' , messages: hello }, { 'x-sim-behaviour': '{"model":"gpt-5.2-2025-12-11","systemFingerprint":null,"serviceTier":"priority"}' });
    expect(json!).toMatchObject({ model: 'gpt-5.2-2025-12-11', system_fingerprint: null, service_tier: 'priority' });
  });
});

describe('request validation and routing', () => {
  it('rejects bad JSON, missing model and missing messages like OpenAI', async () => {
    const bad = await post('/v1/chat/completions', '{"model":');
    expect(bad.status).toBe(400);
    expect(bad.json!.error).toMatchObject({ type: 'invalid_request_error', param: null, code: null });
    expect(bad.json!.error.message).toContain('could not parse the JSON body');
    const noModel = await post('/v1/chat/completions', { messages: hello });
    expect(noModel.status).toBe(400);
    expect(noModel.json!.error).toEqual({ message: "Missing required parameter: 'model'.", type: 'invalid_request_error', param: 'model', code: 'missing_required_parameter' });
    const noMessages = await post('/v1/chat/completions', { model: 'm' });
    expect(noMessages.json!.error).toMatchObject({ param: 'messages', code: 'missing_required_parameter' });
    const emptyMessages = await post('/v1/chat/completions', { model: 'm', messages: [] });
    expect(emptyMessages.json!.error).toMatchObject({ param: 'messages', code: 'empty_array' });
  });

  it('answers 404 for unknown paths and profiles, 405 for wrong methods', async () => {
    const unknownPath = await post('/v1/completions', { model: 'm' });
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.json!.error).toEqual({ message: 'Invalid URL (POST /v1/completions)', type: 'invalid_request_error', param: null, code: null });
    const unknownProfile = await post('/p/nope/v1/chat/completions', { model: 'm', messages: hello });
    expect(unknownProfile.status).toBe(404);
    const wrongMethod = await request(`${simulator.url}/v1/chat/completions`);
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    expect(JSON.parse(await wrongMethod.body.text()).error.message).toBe('Invalid method for URL (GET /v1/chat/completions)');
  });

  it('serves profiles under /p/<id>/v1 and lists models seen and configured', async () => {
    expect(simulator.profileUrl('fast')).toBe(`${simulator.url}/p/fast/v1`);
    expect(simulator.profileUrl('default')).toBe(`${simulator.url}/v1`);
    expect(() => simulator.profileUrl('missing')).toThrow(/Unknown simulator profile/);
    await post('/p/fast/v1/chat/completions', { model: 'seen-model@tokens=1', messages: hello });
    const models = await request(`${simulator.profileUrl('fast')}/models`);
    const list = JSON.parse(await models.body.text());
    expect(list.object).toBe('list');
    expect(list.data.map((model: { id: string }) => model.id).sort()).toEqual(['listed-model', 'seen-model']);
    expect(list.data[0]).toMatchObject({ object: 'model', owned_by: 'switchyard-simulator' });
    expect(simulator.requests.at(-1)?.profile).toBe('fast');
  });

  it('requires the profile API key and masks a wrong one like OpenAI', async () => {
    const wrong = await post('/p/keyed/v1/chat/completions', { model: 'm', messages: hello }, { authorization: 'Bearer sk-wrong-key-98765' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({
      error: {
        message: 'Incorrect API key provided: sk-***********8765. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
    const missing = await post('/p/keyed/v1/chat/completions', { model: 'm', messages: hello });
    expect(missing.status).toBe(401);
    expect(missing.json!.error.message).toContain("You didn't provide an API key");
    const right = await post('/p/keyed/v1/chat/completions', { model: 'm', messages: hello }, { authorization: 'Bearer sk-secret-0123456789' });
    expect(right.status).toBe(200);
    const models = await request(`${simulator.profileUrl('keyed')}/models`);
    expect(models.statusCode).toBe(401);
    await models.body.dump();
  });
});

describe('recording', () => {
  it('records method, path, headers, parsed and raw body; clearRequests empties the live list', async () => {
    simulator.clearRequests();
    await post('/v1/chat/completions?trace=1', { model: 'recorded', messages: hello }, { 'x-custom': 'yes' });
    expect(simulator.requests).toHaveLength(1);
    const [recorded] = simulator.requests;
    expect(recorded).toMatchObject({ method: 'POST', path: '/v1/chat/completions', profile: 'default', body: { model: 'recorded' }, completed: true, aborted: false });
    expect(recorded!.headers['x-custom']).toBe('yes');
    expect(recorded!.rawBody).toBe(JSON.stringify({ model: 'recorded', messages: hello }));
    expect(Date.now() - recorded!.receivedAt).toBeLessThan(5000);
    simulator.clearRequests();
    expect(simulator.requests).toHaveLength(0);
  });

  it('keeps nothing with record: false', async () => {
    const quiet = await startSimulator({ record: false });
    try {
      const response = await request(`${quiet.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: hello }) });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
      expect(quiet.requests).toHaveLength(0);
    } finally {
      await quiet.close();
    }
  });
});

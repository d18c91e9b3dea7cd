import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { bearer, chat, expectErrorEnvelope, http, USER_MESSAGE } from './support/http.js';

interface ModelObject {
  id: string;
  object: string;
  created: number;
  owned_by: string;
}

describe('models, registry and directory', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      profiles: [{ id: 'alpha' }, { id: 'beta' }, { id: 'off' }],
      models: {
        'test-model': [{ profile: 'alpha', price: { input: 1, output: 2 } }],
        'vendor/slashed-model': [
          { profile: 'alpha', price: { input: 0.5, output: 1, cache_read: 0.1 }, upstreamModel: 'upstream/slashed' },
          { profile: 'beta', price: { input: 0.7, output: 1.4 }, type: 'openai-compatible' },
        ],
        'orphan-model': [{ profile: 'off', price: { input: 1, output: 1 } }],
      },
      providerConfig: { off: { api_key: '${NOT_SET_ANYWHERE}' } },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('GET /v1/models lists the callable models in the OpenAI list shape', async () => {
    const result = await http(stack.baseUrl, 'GET', '/v1/models', { headers: bearer(stack.apiKey) });
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('application/json; charset=utf-8');
    const list = result.json as { object: string; data: ModelObject[] };
    expect(list.object).toBe('list');
    expect(list.data.map((model) => model.id)).toEqual(expect.arrayContaining(['test-model', 'vendor/slashed-model']));
    for (const model of list.data) {
      expect(model.object).toBe('model');
      expect(Number.isInteger(model.created)).toBe(true);
      expect(model.owned_by).toBeTypeOf('string');
    }
  });

  it('GET /v1/models/{id} works for ids with slashes, encoded or not, and case-insensitively', async () => {
    for (const path of ['/v1/models/vendor/slashed-model', '/v1/models/vendor%2Fslashed-model', '/v1/models/VENDOR/Slashed-Model']) {
      const result = await http(stack.baseUrl, 'GET', path, { headers: bearer(stack.apiKey) });
      expect(result.status, path).toBe(200);
      expect((result.json as ModelObject).id).toBe('vendor/slashed-model');
    }
  });

  it('GET /v1/models/{unknown} is a 404 model_not_found', async () => {
    for (const id of ['no-such-model', 'vendor/nope']) {
      const result = await http(stack.baseUrl, 'GET', `/v1/models/${id}`, { headers: bearer(stack.apiKey) });
      const error = expectErrorEnvelope(result, 404, 'model_not_found');
      expect(error.type).toBe('not_found_error');
      expect(error.message).toContain(id);
    }
  });

  it('chat with an unknown model is a 404 model_not_found with param model', async () => {
    const error = expectErrorEnvelope(await chat(stack, { model: 'no-such-model', messages: USER_MESSAGE }), 404, 'model_not_found');
    expect(error.param).toBe('model');
  });

  it('GET /v1/registry/providers (no auth) lists id, type, enabled and models', async () => {
    const result = await http(stack.baseUrl, 'GET', '/v1/registry/providers');
    expect(result.status).toBe(200);
    const data = (result.json as { object: string; data: unknown[] }).data;
    expect(data).toHaveLength(3);
    expect(data[0]).toMatchObject({ id: 'alpha', type: 'openai', enabled: true, models: ['test-model', 'vendor/slashed-model'] });
    expect(data[1]).toMatchObject({ id: 'beta', type: 'openai-compatible', enabled: true, models: ['vendor/slashed-model'] });
    expect(data[2]).toMatchObject({ id: 'off', type: 'openai', enabled: false });
  });

  it('GET /v1/registry/models (no auth) lists canonical ids', async () => {
    const result = await http(stack.baseUrl, 'GET', '/v1/registry/models');
    expect(result.status).toBe(200);
    const data = (result.json as { object: string; data: { id: string; object: string; aliases: string[] }[] }).data;
    expect(data.map((model) => model.id)).toEqual(expect.arrayContaining(['test-model', 'vendor/slashed-model']));
    for (const model of data) {
      expect(model.object).toBe('model');
      expect(Array.isArray(model.aliases)).toBe(true);
    }
  });

  it('GET /v1/directory/models (no auth) has offers with prices, capabilities, parameters and status', async () => {
    const result = await http(stack.baseUrl, 'GET', '/v1/directory/models');
    expect(result.status).toBe(200);
    const data = (result.json as { object: string; data: { id: string; offers: Record<string, unknown>[] }[] }).data;
    const slashed = data.find((model) => model.id === 'vendor/slashed-model');
    expect(slashed?.offers).toHaveLength(2);
    const offer = slashed?.offers.find((entry) => entry.provider === 'alpha');
    expect(offer).toMatchObject({
      provider: 'alpha',
      provider_type: 'openai',
      provider_model_id: 'upstream/slashed',
      price: { input: 0.5, output: 1, cache_read: 0.1 },
      capabilities: { tools: true, tool_choice_required: true, json_object: true, json_schema: true, vision: true, reasoning: 'optional' },
      supported_parameters: 'all',
    });
    expect(offer).toHaveProperty('context_window');
    expect(offer).toHaveProperty('expected');
    // Live stats: their exact shape is the routing layer's; some live object must be there.
    expect(offer?.live ?? offer?.status).toBeTypeOf('object');
  });

  it('GET /health is 200 and /ready is 200 when a model is callable', async () => {
    const health = await http(stack.baseUrl, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok' });
    const ready = await http(stack.baseUrl, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ready' });
  });

  it('HEAD works on GET routes', async () => {
    const result = await http(stack.baseUrl, 'HEAD', '/health');
    expect(result.status).toBe(200);
  });

  it('/metrics is Prometheus text with request, error, latency, TTFT and in-flight metrics after traffic', async () => {
    expect((await chat(stack, { model: 'test-model', messages: USER_MESSAGE })).status).toBe(200);
    expect((await chat(stack, { model: 'test-model', messages: USER_MESSAGE, stream: true })).status).toBe(200);
    expect((await chat(stack, { model: 'no-such-model', messages: USER_MESSAGE })).status).toBe(404);
    const result = await http(stack.baseUrl, 'GET', '/metrics');
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = result.text;
    expect(text).toMatch(/^# HELP switchyard_requests_total /m);
    expect(text).toMatch(/^switchyard_requests_total\{model="test-model",provider="alpha",status="200",stream="false"\} [1-9]/m);
    expect(text).toMatch(/^switchyard_requests_total\{model="test-model",provider="alpha",status="200",stream="true"\} [1-9]/m);
    expect(text).toMatch(/^switchyard_errors_total\{code="model_not_found"\} [1-9]/m);
    expect(text).toMatch(/^switchyard_upstream_latency_seconds_bucket\{le="[^"]+",provider="alpha"\} [1-9]/m);
    expect(text).toMatch(/^switchyard_upstream_ttft_seconds_bucket\{le="[^"]+",provider="alpha"\} [1-9]/m);
    expect(text).toMatch(/^switchyard_inflight_streams 0$/m);
    expect(text).toMatch(/^switchyard_upstream_attempts_total\{provider="alpha",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^switchyard_cost_microusd_total\{model="test-model",provider="alpha"\} [1-9]/m);
    expect(text).toMatch(/^switchyard_upstream_latency_seconds_count\{provider="alpha"\} [1-9]/m);
    expect(text).toMatch(/^switchyard_upstream_latency_seconds_bucket\{le="\+Inf",provider="alpha"\} [1-9]/m);
  });
});

describe('/metrics with metrics.require_admin_key', () => {
  const ADMIN_KEY = 'admin-key-for-metrics-0123456789';
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { admin_key: ADMIN_KEY, metrics: { require_admin_key: true } } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses no key, the wrong key and an API key (401 in the envelope)', async () => {
    for (const headers of [{}, bearer('wrong-admin-key'), bearer(stack.apiKey), { authorization: ADMIN_KEY }]) {
      const result = await http(stack.baseUrl, 'GET', '/metrics', { headers });
      const error = expectErrorEnvelope(result, 401, 'invalid_api_key');
      expect(error.type).toBe('authentication_error');
    }
  });

  it('serves the metrics for the admin key', async () => {
    const result = await http(stack.baseUrl, 'GET', '/metrics', { headers: bearer(ADMIN_KEY) });
    expect(result.status).toBe(200);
    expect(result.text).toContain('switchyard_inflight_streams');
  });

  it('keeps the admin key out of the logs', async () => {
    await http(stack.baseUrl, 'GET', '/metrics', { headers: bearer(ADMIN_KEY) });
    expect(stack.rawLogs()).not.toContain(ADMIN_KEY);
  });
});

describe('/ready when no provider is enabled', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ providerConfig: { alpha: { api_key: '${UNSET_PROVIDER_KEY}' } } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('is 503 while /health stays 200', async () => {
    const ready = await http(stack.baseUrl, 'GET', '/ready');
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ status: 'not_ready' });
    expect((await http(stack.baseUrl, 'GET', '/health')).status).toBe(200);
  });

  it('lists no callable model', async () => {
    const result = await http(stack.baseUrl, 'GET', '/v1/models', { headers: bearer(stack.apiKey) });
    expect((result.json as { data: unknown[] }).data).toEqual([]);
  });
});

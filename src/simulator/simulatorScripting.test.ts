import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startSimulator, type Simulator } from './simulatorServer.js';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({
    profiles: [
      { id: 'flaky', defaults: { completionTokens: 3 } },
      { id: 'other', defaults: { completionTokens: 3, systemFingerprint: 'fp_other' } },
    ],
    scripts: [{ match: { model: 'boot-scripted' }, behaviour: { replyText: 'from options' } }],
  });
});
afterAll(async () => {
  await simulator.close();
});
afterEach(() => {
  simulator.clearScripts();
});

const hello = [{ role: 'user', content: 'Hi' }];

async function call(profile: string, model: string, headers: Record<string, string> = {}) {
  const response = await request(`${simulator.profileUrl(profile)}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: hello }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(text) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- loosely typed JSON under test
}

describe('script rules', () => {
  // First: the afterEach clearScripts() also removes rules installed through options.
  it('applies rules from options.scripts', async () => {
    expect((await call('default', 'boot-scripted')).body.choices[0].message.content).toBe('from options');
  });

  it('"the next 2 requests to profile flaky fail with 503", then it recovers', async () => {
    simulator.script({ match: { profile: 'flaky' }, behaviour: { status: 503 }, times: 2 });
    expect((await call('other', 'm')).status).toBe(200);
    expect((await call('flaky', 'm')).status).toBe(503);
    expect((await call('flaky', 'm')).status).toBe(503);
    expect((await call('flaky', 'm')).status).toBe(200);
  });

  it('checks rules in order, first match wins; rules without times persist until cleared', async () => {
    simulator.script({ match: { model: /^gpt-/ }, behaviour: { replyText: 'regex rule' }, times: 1 });
    simulator.script({ match: { model: 'gpt-4o' }, behaviour: { replyText: 'exact rule' } });
    expect((await call('default', 'gpt-4o')).body.choices[0].message.content).toBe('regex rule');
    expect((await call('default', 'gpt-4o')).body.choices[0].message.content).toBe('exact rule');
    expect((await call('default', 'gpt-4o@tokens=9')).body.choices[0].message.content).toBe('exact rule');
    expect((await call('default', 'gpt-4o')).body.choices[0].message.content).toBe('exact rule');
    simulator.clearScripts();
    expect((await call('default', 'gpt-4o')).body.choices[0].message.content).not.toBe('exact rule');
  });

  it('rejects invalid rules early', () => {
    expect(() => simulator.script({ behaviour: { status: 503 }, times: -1 })).toThrow(/times/);
    expect(() => simulator.script({ behaviour: { ttftMS: 5 } as never })).toThrow(/unknown behaviour field 'ttftMS'/);
  });
});

describe('behaviour layering', () => {
  it('model-name parameters set behaviour and are stripped from the echoed model', async () => {
    const { body } = await call('default', 'sim-chat@tokens=30,cached=2,reasoning=4');
    expect(body.model).toBe('sim-chat');
    expect(body.usage.completion_tokens).toBe(34);
    expect(body.usage.prompt_tokens_details.cached_tokens).toBe(2);
    expect((await call('default', 'sim-chat@status=429')).status).toBe(429);
  });

  it('rejects unknown model-name parameters and bad values with a 400 on param model', async () => {
    const unknown = await call('default', 'sim-chat@speed=9');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ param: 'model', type: 'invalid_request_error' });
    expect(unknown.body.error.message).toContain("'speed'");
    expect((await call('default', 'sim-chat@tokens=lots')).status).toBe(400);
  });

  it('x-sim-behaviour JSON overrides everything else; bad JSON is a 400', async () => {
    simulator.script({ match: { profile: 'other' }, behaviour: { completionTokens: 5, systemFingerprint: 'fp_script' } });
    const scripted = await call('other', 'sim-chat@tokens=4');
    expect(scripted.body.usage.completion_tokens).toBe(5);
    expect(scripted.body.system_fingerprint).toBe('fp_script');
    const overridden = await call('other', 'sim-chat@tokens=4', { 'x-sim-behaviour': '{"completionTokens":6}' });
    expect(overridden.body.usage.completion_tokens).toBe(6);
    expect(overridden.body.system_fingerprint).toBe('fp_script');
    simulator.clearScripts();
    const modelOverProfile = await call('other', 'sim-chat@tokens=4');
    expect(modelOverProfile.body.usage.completion_tokens).toBe(4);
    expect(modelOverProfile.body.system_fingerprint).toBe('fp_other');
    expect((await call('other', 'sim-chat')).body.usage.completion_tokens).toBe(3);
    const badHeader = await call('default', 'm', { 'x-sim-behaviour': '{nope' });
    expect(badHeader.status).toBe(400);
    expect((await call('default', 'm', { 'x-sim-behaviour': '{"tokens":3}' })).status).toBe(400);
  });
});

import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './simulatorServer.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions poke into chunk JSON whose shape is what is being tested
type Chunk = Record<string, any>;

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({});
});
afterAll(async () => {
  await simulator.close();
});

const hello = [{ role: 'user', content: 'Stream to me.' }];

async function streamRaw(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${simulator.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: hello, stream: true, ...body }),
  });
  return { response, text: await response.text() };
}

/** Splits an SSE body into its `data:` payloads, asserting OpenAI's exact `data: ...\n\n` framing. */
function dataPayloads(text: string): string[] {
  expect(text.endsWith('\n\n')).toBe(true);
  const events = text.slice(0, -2).split('\n\n');
  for (const event of events) expect(event).toMatch(/^data: [^\n]+$/);
  return events.map((event) => event.slice('data: '.length));
}

function chunks(payloads: string[]): Chunk[] {
  return payloads.filter((payload) => payload !== '[DONE]').map((payload) => JSON.parse(payload) as Chunk);
}

describe('stream byte layout', () => {
  it('sends role chunk, content chunks, finish chunk, usage chunk and [DONE] with include_usage', async () => {
    const { response, text } = await streamRaw({ model: 'sim-chat@tokens=5', stream_options: { include_usage: true } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('connection')).toBe('keep-alive');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const payloads = dataPayloads(text);
    expect(payloads.at(-1)).toBe('[DONE]');
    const parsed = chunks(payloads);
    expect(parsed).toHaveLength(1 + 5 + 1 + 1);
    const id = parsed[0]!.id;
    for (const chunk of parsed) {
      expect(Object.keys(chunk)).toEqual(['id', 'object', 'created', 'model', 'service_tier', 'system_fingerprint', 'choices', 'usage']);
      expect(chunk).toMatchObject({ id, object: 'chat.completion.chunk', model: 'sim-chat', service_tier: 'default', system_fingerprint: 'fp_sim' });
    }
    expect(text).toContain('"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}');
    expect(parsed[0]!.choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    const content = parsed.slice(1, 6);
    for (const chunk of content) {
      expect(chunk.usage).toBeNull();
      expect(Object.keys(chunk.choices[0].delta)).toEqual(['content']);
      expect(chunk.choices[0].finish_reason).toBeNull();
    }
    expect(content.map((chunk) => chunk.choices[0].delta.content).join('')).toBe('This is a simulated reply');
    expect(parsed[6]!.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    expect(parsed[6]!.usage).toBeNull();
    expect(parsed[7]!.choices).toEqual([]);
    expect(parsed[7]!.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 5, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 } });
  });

  it('omits usage entirely without include_usage', async () => {
    const { text } = await streamRaw({ model: 'sim-chat@tokens=3' });
    expect(text).not.toContain('"usage"');
    const payloads = dataPayloads(text);
    expect(payloads.at(-1)).toBe('[DONE]');
    const parsed = chunks(payloads);
    expect(parsed).toHaveLength(1 + 3 + 1);
    expect(Object.keys(parsed[0]!)).toEqual(['id', 'object', 'created', 'model', 'service_tier', 'system_fingerprint', 'choices']);
    expect(parsed.at(-1)!.choices[0].finish_reason).toBe('stop');
  });

  it('groups tokens into the requested number of chunks', async () => {
    const { text } = await streamRaw({ model: 'sim-chat@tokens=10,chunks=3', stream_options: { include_usage: true } });
    const parsed = chunks(dataPayloads(text));
    const content = parsed.filter((chunk) => chunk.choices[0]?.delta.content !== undefined && chunk.choices[0].delta.role === undefined);
    expect(content).toHaveLength(3);
    expect(parsed.at(-1)!.usage.completion_tokens).toBe(10);
  });

  it('interleaves n choices, each with its own role and finish chunk', async () => {
    const { text } = await streamRaw({ model: 'sim-chat@tokens=3', n: 2, stream_options: { include_usage: true } });
    const parsed = chunks(dataPayloads(text));
    const indexes = parsed.filter((chunk) => chunk.choices.length > 0).map((chunk) => chunk.choices[0].index);
    expect(indexes).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    const finishes = parsed.filter((chunk) => chunk.choices[0]?.finish_reason);
    expect(finishes.map((chunk) => chunk.choices[0].index)).toEqual([0, 1]);
    expect(parsed.at(-1)!.usage.completion_tokens).toBe(6);
  });

  it('keeps the layout when paced with several choices of different lengths', async () => {
    const { text } = await streamRaw({ model: 'sim-chat@tokens=6,ttft=20,tps=400', n: 2, stop: 'simulated', stream_options: { include_usage: true } }, { 'x-sim-behaviour': '{"headersFirst":true}' });
    const payloads = dataPayloads(text);
    expect(payloads.at(-1)).toBe('[DONE]');
    const parsed = chunks(payloads);
    expect(parsed.slice(0, 2).map((chunk) => chunk.choices[0].delta.role)).toEqual(['assistant', 'assistant']);
    for (const index of [0, 1]) {
      const own = parsed.filter((chunk) => chunk.choices[0]?.index === index);
      expect(own.at(-1)!.choices[0].finish_reason).toBe('stop');
      expect(own.slice(0, -1).every((chunk) => chunk.choices[0].finish_reason === null)).toBe(true);
    }
    const contentOf = (index: number) => parsed.filter((chunk) => chunk.choices[0]?.index === index).map((chunk) => chunk.choices[0].delta.content ?? '').join('');
    expect(contentOf(0)).toBe('This is a ');
    expect(contentOf(1)).toBe('');
    // Choice 0 keeps 'This', ' is', ' a' and the space before the stop word; choice 1 starts with the stop word.
    expect(parsed.at(-1)!.usage.completion_tokens).toBe(4);
  });

  it('streams reasoning_content (or reasoning) deltas before content', async () => {
    const { text } = await streamRaw({ model: 'sim-chat@tokens=2,reasoning=3,reasoning_text=reasoning_content' });
    const deltas = chunks(dataPayloads(text)).map((chunk) => chunk.choices[0].delta);
    expect(deltas.slice(1, 4).map((delta) => Object.keys(delta))).toEqual([['reasoning_content'], ['reasoning_content'], ['reasoning_content']]);
    expect(deltas.slice(4, 6).map((delta) => Object.keys(delta))).toEqual([['content'], ['content']]);
    const vllm = await streamRaw({ model: 'sim-chat@tokens=1,reasoning=1,reasoning_text=reasoning' });
    expect(vllm.text).toContain('"delta":{"reasoning":"Let"}');
  });

  it('streams logprobs per content chunk and cuts at max tokens with finish_reason length', async () => {
    const { text } = await streamRaw({ model: 'sim-chat', logprobs: true, max_completion_tokens: 2 });
    const parsed = chunks(dataPayloads(text));
    expect(parsed[1]!.choices[0].logprobs.content[0]).toMatchObject({ token: 'This', top_logprobs: [] });
    expect(parsed[2]!.choices[0].logprobs.content[0].token).toBe(' is');
    expect(parsed).toHaveLength(4);
    expect(parsed[3]!.choices[0].finish_reason).toBe('length');
  });
});

describe('stream pacing', () => {
  async function firstChunkTimes(behaviour: Record<string, unknown>) {
    const started = performance.now();
    const response = await fetch(`${simulator.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-sim-behaviour': JSON.stringify(behaviour) },
      body: JSON.stringify({ model: 'sim-chat', messages: hello, stream: true }),
    });
    const headersAt = performance.now() - started;
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let firstContentAt: number | undefined;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (firstContentAt === undefined && text.includes('"delta":{"content"')) firstContentAt = performance.now() - started;
    }
    return { headersAt, firstContentAt: firstContentAt!, endAt: performance.now() - started, text };
  }

  it('waits ttftMs before headers and first content (headersFirst false)', async () => {
    const timing = await firstChunkTimes({ ttftMs: 200 });
    expect(timing.headersAt).toBeGreaterThanOrEqual(150);
    expect(timing.firstContentAt).toBeGreaterThanOrEqual(150);
    expect(timing.text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('sends headers at once with headersFirst, content after ttftMs', async () => {
    const timing = await firstChunkTimes({ ttftMs: 250, headersFirst: true });
    expect(timing.headersAt).toBeLessThan(200);
    expect(timing.firstContentAt).toBeGreaterThanOrEqual(200);
  });

  it('paces tokens at tokensPerSecond', async () => {
    // 11 tokens after the first one at 100 tokens/s ≈ 110 ms.
    const timing = await firstChunkTimes({ tokensPerSecond: 100, completionTokens: 12 });
    expect(timing.endAt - timing.firstContentAt).toBeGreaterThanOrEqual(80);
    expect(timing.endAt).toBeLessThan(5000);
  });
});

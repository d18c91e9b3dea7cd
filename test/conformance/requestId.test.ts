import type OpenAI from 'openai';
import { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { clientFor, closeStack, eventually, MESSAGES, OPENAI_PROTOCOL_TYPES, postRaw } from './conformanceSupport.js';

const GENERATED = /^req_[0-9a-f]{24}$/;
const CALLER_ID = 'trace-42.abc:DEF_9';

async function rejection(promise: Promise<unknown>): Promise<APIError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(APIError);
  return error as APIError;
}

describe.each(OPENAI_PROTOCOL_TYPES)('X-Request-ID through the official client (%s provider)', (type) => {
  let stack: Stack;
  let client: OpenAI;

  beforeAll(async () => {
    stack = await startStack({ profiles: [{ id: 'alpha' }], models: { 'test-model': [{ profile: 'alpha', price: { input: 1, output: 2 }, type }] } });
    client = clientFor(stack);
  });
  afterAll(async () => {
    await closeStack(stack);
  });

  it('echoes a well-formed caller id on a completion and logs under it', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'test-model', messages: MESSAGES }, { headers: { 'x-request-id': CALLER_ID } })
      .withResponse();
    expect(response.headers.get('x-request-id')).toBe(CALLER_ID);
    const line = await eventually(() => stack.logs.find((entry) => entry.requestId === CALLER_ID));
    expect(line.status).toBe(200);
  });

  it('generates a fresh id when the caller sends none', async () => {
    const first = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES }).withResponse();
    const second = await client.chat.completions.create({ model: 'test-model', messages: MESSAGES }).withResponse();
    const ids = [first.response.headers.get('x-request-id'), second.response.headers.get('x-request-id')];
    expect(ids[0]).toMatch(GENERATED);
    expect(ids[1]).toMatch(GENERATED);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it.each([
    ['with a space', 'bad id'],
    ['too long', 'x'.repeat(129)],
    ['with a slash', 'a/b'],
  ])('replaces a malformed caller id (%s) with a generated one', async (_name, sent) => {
    const { response } = await client.chat.completions
      .create({ model: 'test-model', messages: MESSAGES }, { headers: { 'x-request-id': sent } })
      .withResponse();
    expect(response.headers.get('x-request-id')).toMatch(GENERATED);
  });

  it('is present on errors, echoed or generated, and readable as error.requestID', async () => {
    const echoed = await rejection(client.chat.completions.create({ model: 'no-such-model', messages: MESSAGES }, { headers: { 'x-request-id': CALLER_ID } }));
    expect(echoed.status).toBe(404);
    expect(echoed.headers?.get('x-request-id')).toBe(CALLER_ID);
    expect(echoed.requestID).toBe(CALLER_ID);

    const generated = await rejection(clientFor(stack, { apiKey: 'ak_test_' + 'z'.repeat(40) }).chat.completions.create({ model: 'test-model', messages: MESSAGES }));
    expect(generated.status).toBe(401);
    expect(generated.requestID).toMatch(GENERATED);
  });

  it('is present on streams, echoed or generated', async () => {
    const echoed = await client.chat.completions
      .create({ model: 'test-model', messages: MESSAGES, stream: true }, { headers: { 'x-request-id': CALLER_ID } })
      .withResponse();
    expect(echoed.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(echoed.response.headers.get('x-request-id')).toBe(CALLER_ID);
    for await (const chunk of echoed.data) expect(chunk.object).toBe('chat.completion.chunk');

    const raw = await postRaw(stack, { model: 'test-model', messages: MESSAGES, stream: true });
    expect(raw.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(raw.headers['x-request-id']).toMatch(GENERATED);
  });
});

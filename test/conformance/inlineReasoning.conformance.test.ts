import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { clientFor, closeStack, MESSAGES } from './conformanceSupport.js';

/** Reasoning text rides on the message and deltas as an extension field the client's types do not know. */
type WithReasoning = { reasoning_content?: string };

// The simulator cuts this into word tokens, so the tags arrive inside larger deltas: '<think>Two', ' two.</think>', '\n\nIt'.
const RAW_REPLY = '<think>Two plus two.</think>\n\nIt is 4.';

describe('inline <think> reasoning from a Together host, with the official client', () => {
  let stack: Stack;
  let client: OpenAI;

  beforeAll(async () => {
    stack = await startStack({
      profiles: [{ id: 'together', defaults: { replyText: RAW_REPLY } }],
      models: { 'r1-model': [{ profile: 'together', price: { input: 3, output: 7 }, type: 'openai-compatible', upstreamModel: 'deepseek-ai/DeepSeek-R1' }] },
      providerConfig: { together: { compat_profile: 'together' } },
    });
    client = clientFor(stack);
  });
  afterAll(async () => {
    await closeStack(stack);
  });
  afterEach(() => {
    stack.simulator.clearScripts();
  });

  it('answers with the block as reasoning_content and the rest as content, streamed and not alike', async () => {
    const created = await client.chat.completions.create({ model: 'r1-model', messages: MESSAGES });
    const message = created.choices[0]!.message as OpenAI.Chat.ChatCompletionMessage & WithReasoning;
    expect(message.content).toBe('It is 4.');
    expect(message.reasoning_content).toBe('Two plus two.');

    const runner = client.chat.completions.stream({ model: 'r1-model', messages: MESSAGES });
    const order: string[] = [];
    let streamedReasoning = '';
    runner.on('chunk', (chunk) => {
      const delta = chunk.choices[0]?.delta as (OpenAI.Chat.ChatCompletionChunk.Choice.Delta & WithReasoning) | undefined;
      if (delta?.reasoning_content !== undefined && delta.reasoning_content !== '') {
        streamedReasoning += delta.reasoning_content;
        order.push('reasoning');
      }
      if (typeof delta?.content === 'string' && delta.content !== '') order.push('content');
    });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe(created.choices[0]!.message.content);
    expect(final.choices[0]!.finish_reason).toBe(created.choices[0]!.finish_reason);
    // The client keeps only the last fragment of an unknown delta field, so the chunks are joined here.
    expect(streamedReasoning).toBe(message.reasoning_content);
    expect(order.indexOf('content')).toBeGreaterThan(order.lastIndexOf('reasoning'));
  });

  it('takes a block cut short as all reasoning with empty content, streamed and not alike', async () => {
    stack.simulator.script({ behaviour: { replyText: '<think>Two plus', chunks: 1 }, times: 2 });
    const created = await client.chat.completions.create({ model: 'r1-model', messages: MESSAGES });
    expect(created.choices[0]!.message.content).toBe('');
    expect((created.choices[0]!.message as WithReasoning).reasoning_content).toBe('Two plus');
    const runner = client.chat.completions.stream({ model: 'r1-model', messages: MESSAGES });
    let streamedReasoning = '';
    runner.on('chunk', (chunk) => {
      streamedReasoning += (chunk.choices[0]?.delta as WithReasoning | undefined)?.reasoning_content ?? '';
    });
    const final = await runner.finalChatCompletion();
    // No content delta came, and the client builds null from the role chunk's "" (as for any empty streamed answer).
    expect(final.choices[0]!.message.content ?? '').toBe('');
    expect(streamedReasoning).toBe('Two plus');
  });

  it('passes content that only mentions the tag later through unchanged', async () => {
    const text = 'Models write <think> first.';
    stack.simulator.script({ behaviour: { replyText: text }, times: 2 });
    const created = await client.chat.completions.create({ model: 'r1-model', messages: MESSAGES });
    expect(created.choices[0]!.message.content).toBe(text);
    expect(created.choices[0]!.message).not.toHaveProperty('reasoning_content');
    const final = await client.chat.completions.stream({ model: 'r1-model', messages: MESSAGES }).finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe(text);
  });
});

import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/gatewayError.js';
import type { AdapterEffects } from '../adapterEffects.js';
import { parseGeminiResponse } from './parseGeminiResponse.js';

const NOW = 1_767_225_600_500;

function effects(): AdapterEffects {
  let next = 0;
  return { newId: (prefix) => `${prefix}gen${++next}`, now: () => NOW };
}

function parse(body: unknown) {
  return parseGeminiResponse(body, effects());
}

function candidate(parts: unknown[], finishReason = 'STOP', extra: Record<string, unknown> = {}) {
  return { candidates: [{ content: { role: 'model', parts }, finishReason, index: 0, ...extra }], modelVersion: 'gemini-2.5-flash', responseId: 'r1' };
}

// providers.md §4.5, verbatim
const TOOL_CALL_RESPONSE = {
  candidates: [
    {
      index: 0,
      content: {
        role: 'model',
        parts: [
          { text: '**Checking weather** I should call the tool.', thought: true },
          { functionCall: { id: 'fc_1', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQBcsjafH…' },
        ],
      },
      finishReason: 'STOP',
      safetyRatings: [],
    },
  ],
  usageMetadata: { promptTokenCount: 1200, candidatesTokenCount: 18, thoughtsTokenCount: 140, cachedContentTokenCount: 1024, totalTokenCount: 1358, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 1200 }] },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'q1xYaK…',
};

describe('parseGeminiResponse: the §4.5 tool-call response', () => {
  it('reads reasoning, the signed call, finish reason and usage', () => {
    expect(parse(TOOL_CALL_RESPONSE)).toEqual({
      id: 'q1xYaK…',
      created: 1767225600,
      model: 'gemini-2.5-flash',
      choices: [
        {
          index: 0,
          finishReason: 'tool_calls',
          message: {
            content: null,
            reasoningContent: '**Checking weather** I should call the tool.',
            toolCalls: [
              { id: 'fc_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' }, extra_content: { google: { thought_signature: 'CiQBcsjafH…' } } },
            ],
          },
        },
      ],
      usage: { promptTokens: 1200, completionTokens: 158, totalTokens: 1358, cachedTokens: 1024, cacheWriteTokens: 0, reasoningTokens: 140 },
    });
  });
});

describe('parseGeminiResponse: the §4.8 answer', () => {
  it('joins text parts as content and thought parts as reasoning', () => {
    const result = parse({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: '**Formatting** The tool returned 18°C…', thought: true }, { text: '{"summary":' }, { text: '"18°C in Paris"}' }] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 96, candidatesTokenCount: 12, thoughtsTokenCount: 139, totalTokenCount: 247 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'q1xYaK',
    });
    expect(result.choices).toEqual([
      { index: 0, finishReason: 'stop', message: { content: '{"summary":"18°C in Paris"}', reasoningContent: '**Formatting** The tool returned 18°C…' } },
    ]);
    expect(result.usage).toEqual({ promptTokens: 96, completionTokens: 151, totalTokens: 247, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 139 });
  });
});

describe('parseGeminiResponse: parts', () => {
  it('synthesises call ids when Gemini sends none, and keeps only the first parallel call signed', () => {
    const result = parse(
      candidate([
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'SIG' },
        { functionCall: { name: 'get_time', args: {} } },
        { functionCall: { name: 'ping' } },
      ]),
    );
    expect(result.choices[0]!.message.toolCalls).toEqual([
      { id: 'call_gen1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' }, extra_content: { google: { thought_signature: 'SIG' } } },
      { id: 'call_gen2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      { id: 'call_gen3', type: 'function', function: { name: 'ping', arguments: '{}' } },
    ]);
    expect(result.choices[0]!.finishReason).toBe('tool_calls');
  });

  it('keeps text before a call and the signature of a text answer as message extra_content', () => {
    const withCall = parse(candidate([{ text: 'Let me check.' }, { functionCall: { name: 'f', args: {} } }]));
    expect(withCall.choices[0]!.message.content).toBe('Let me check.');
    // Gemini 3 puts a text answer's signature on its last part, sometimes an empty one.
    const signed = parse(candidate([{ text: 'Hello' }, { text: '', thoughtSignature: 'TEXT_SIG' }]));
    expect(signed.choices[0]!.message).toEqual({ content: 'Hello', extra: { extra_content: { google: { thought_signature: 'TEXT_SIG' } } } });
  });

  it('renders server code execution as Markdown in the content', () => {
    const result = parse(candidate([{ executableCode: { language: 'PYTHON', code: 'print(2+2)' } }, { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '4\n' } }, { text: 'It is 4.' }]));
    expect(result.choices[0]!.message.content).toBe('\n```python\nprint(2+2)\n```\n\n```\n4\n\n```\nIt is 4.');
  });

  it('gives empty content when a candidate has no parts (all tokens spent thinking)', () => {
    const result = parse({ candidates: [{ content: { role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 }], usageMetadata: { promptTokenCount: 5, thoughtsTokenCount: 100, totalTokenCount: 105 } });
    expect(result.choices).toEqual([{ index: 0, finishReason: 'length', message: { content: '' } }]);
    expect(result.usage).toMatchObject({ completionTokens: 100, reasoningTokens: 100, totalTokens: 105 });
  });

  it('returns several candidates as choices by index', () => {
    const result = parse({
      candidates: [
        { content: { role: 'model', parts: [{ text: 'A' }] }, finishReason: 'STOP', index: 0 },
        { content: { role: 'model', parts: [{ text: 'B' }] }, finishReason: 'MAX_TOKENS', index: 1 },
      ],
    });
    expect(result.choices.map((choice) => [choice.index, choice.message.content, choice.finishReason])).toEqual([
      [0, 'A', 'stop'],
      [1, 'B', 'length'],
    ]);
  });

  it('mints id and leaves the model empty when Gemini leaves them out', () => {
    const result = parse({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'STOP' }] });
    expect(result).toMatchObject({ id: 'chatcmpl-gen1', created: 1767225600, model: '', usage: undefined });
  });
});

describe('parseGeminiResponse: finish reasons', () => {
  it.each<[string, string]>([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['LANGUAGE', 'content_filter'],
    ['IMAGE_SAFETY', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'stop'],
    ['UNEXPECTED_TOOL_CALL', 'stop'],
    ['TOO_MANY_TOOL_CALLS', 'stop'],
    ['OTHER', 'stop'],
    ['FINISH_REASON_UNSPECIFIED', 'stop'],
    ['SOMETHING_NEW', 'stop'],
  ])('%s → %s', (reason, mapped) => {
    expect(parse(candidate([{ text: 'x' }], reason)).choices[0]!.finishReason).toBe(mapped);
  });

  it('answers a blocked prompt (no candidates) with an empty content_filter choice', () => {
    const result = parse({ promptFeedback: { blockReason: 'SAFETY', safetyRatings: [] }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 }, modelVersion: 'gemini-2.5-flash', responseId: 'b1' });
    expect(result.choices).toEqual([{ index: 0, finishReason: 'content_filter', message: { content: '' } }]);
    expect(result.usage).toMatchObject({ promptTokens: 8, completionTokens: 0, totalTokens: 8 });
  });
});

describe('parseGeminiResponse: usage and logprobs', () => {
  it('adds tool-use prompt tokens to the prompt', () => {
    const result = parse({ ...candidate([{ text: 'x' }]), usageMetadata: { promptTokenCount: 100, toolUsePromptTokenCount: 20, candidatesTokenCount: 5, totalTokenCount: 125 } });
    expect(result.usage).toEqual({ promptTokens: 120, completionTokens: 5, totalTokens: 125, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('maps logprobsResult to OpenAI logprobs, position by position', () => {
    const logprobsResult = {
      chosenCandidates: [
        { token: 'Hi', tokenId: 5, logProbability: -0.1 },
        { token: '!', tokenId: 6, logProbability: -0.5 },
      ],
      topCandidates: [{ candidates: [{ token: 'Hi', tokenId: 5, logProbability: -0.1 }, { token: 'Hey', tokenId: 7, logProbability: -2.3 }] }, { candidates: [{ token: '!', tokenId: 6, logProbability: -0.5 }] }],
    };
    const result = parse(candidate([{ text: 'Hi!' }], 'STOP', { logprobsResult, avgLogprobs: -0.3 }));
    expect(result.choices[0]!.logprobs).toEqual({
      content: [
        { token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105] }, { token: 'Hey', logprob: -2.3, bytes: [72, 101, 121] }] },
        { token: '!', logprob: -0.5, bytes: [33], top_logprobs: [{ token: '!', logprob: -0.5, bytes: [33] }] },
      ],
      refusal: null,
    });
  });
});

describe('parseGeminiResponse: malformed and error bodies', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'Bad Gateway'],
    ['an array', [TOOL_CALL_RESPONSE]],
    ['no candidates and no block reason', { modelVersion: 'gemini-2.5-flash' }],
    ['a candidate that is not an object', { candidates: ['x'] }],
  ])('%s → 502 upstream_error', (_name, body) => {
    expect(() => parse(body)).toThrow(expect.objectContaining({ status: 502, code: 'upstream_error' }));
  });

  it('reads an error object sent with status 200 as the error it is', () => {
    let thrown: unknown;
    try {
      parse({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ status: 503, code: 'model_unavailable', retryable: true });
  });
});

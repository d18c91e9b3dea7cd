import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/chatRequest.js';
import { GatewayError } from '../../core/gatewayError.js';
import type { OfferCapabilities } from '../../core/offerCapabilities.js';
import { validateChatRequest } from '../../protocol/openai/validateChatRequest.js';
import type { UpstreamTarget } from '../adapter.js';
import { buildGeminiRequest } from './buildGeminiRequest.js';

const PERMISSIVE: OfferCapabilities = { tools: true, toolChoiceRequired: true, jsonObject: true, jsonSchema: true, vision: true, reasoning: 'optional' };
const USER = [{ role: 'user', content: 'hi' }];

function target(upstreamModel = 'gemini-2.5-flash', overrides: Partial<UpstreamTarget> = {}): UpstreamTarget {
  return {
    providerId: 'google_ai_studio',
    baseUrl: 'https://generativelanguage.googleapis.com',
    apiKey: 'AIza-test-key',
    headers: {},
    upstreamModel,
    capabilities: PERMISSIVE,
    maxOutputTokens: undefined,
    ...overrides,
  };
}

function chatRequest(fields: Record<string, unknown>): ChatRequest {
  return validateChatRequest({ model: 'm', messages: USER, ...fields }).request;
}

function build(fields: Record<string, unknown>, upstreamModel?: string, overrides?: Partial<UpstreamTarget>) {
  const built = buildGeminiRequest(chatRequest(fields), target(upstreamModel, overrides));
  return { built, body: JSON.parse(built.body) as Record<string, unknown>, warnings: built.warnings };
}

function thrown(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

// providers.md §4.8, verbatim
const EXAMPLE_REQUEST = {
  model: 'gemini-2.5-flash',
  max_completion_tokens: 2048,
  reasoning_effort: 'low',
  messages: [
    { role: 'system', content: 'Answer in JSON.' },
    { role: 'user', content: 'Weather in Paris?' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'fc_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' }, extra_content: { google: { thought_signature: 'CiQBcsjafH…' } } },
      ],
    },
    { role: 'tool', tool_call_id: 'fc_1', content: '{"temp_c":18}' },
  ],
  tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
  response_format: { type: 'json_schema', json_schema: { name: 'w', schema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] } } },
};

const EXAMPLE_GEMINI_BODY = {
  systemInstruction: { parts: [{ text: 'Answer in JSON.' }] },
  contents: [
    { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
    { role: 'model', parts: [{ functionCall: { id: 'fc_1', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQBcsjafH…' }] },
    { role: 'user', parts: [{ functionResponse: { id: 'fc_1', name: 'get_weather', response: { temp_c: 18 } } }] },
  ],
  tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }] }],
  toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
  generationConfig: {
    maxOutputTokens: 2048,
    responseMimeType: 'application/json',
    responseJsonSchema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] },
    thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
  },
};

describe('buildGeminiRequest: endpoint and headers', () => {
  it('posts to generateContent with the key in x-goog-api-key, never in the URL', () => {
    const { built } = build({});
    expect(built.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
    expect(built.headers).toEqual({ 'content-type': 'application/json', 'x-goog-api-key': 'AIza-test-key' });
    expect(built.url).not.toContain('AIza');
  });

  it('streams through streamGenerateContent?alt=sse and asks for SSE', () => {
    const { built, body } = build({ stream: true, stream_options: { include_usage: false } });
    expect(built.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(built.headers.accept).toBe('text/event-stream');
    expect(body).not.toHaveProperty('stream');
    expect(body).not.toHaveProperty('stream_options');
  });

  it('keeps configured headers, sends no key header without a key, and uses a tuned model path as is', () => {
    const { built } = build({}, 'tunedModels/my-model-1', { apiKey: undefined, headers: { 'x-team': 'a' } });
    expect(built.url).toBe('https://generativelanguage.googleapis.com/v1beta/tunedModels/my-model-1:generateContent');
    expect(built.headers).toEqual({ 'content-type': 'application/json', 'x-team': 'a' });
  });
});

describe('buildGeminiRequest: the §4.8 example', () => {
  it('translates it field for field', () => {
    const { body, warnings } = build(EXAMPLE_REQUEST);
    expect(body).toEqual(EXAMPLE_GEMINI_BODY);
    expect(Object.keys(body)[0]).toBe('systemInstruction');
    expect(warnings).toEqual([]);
  });
});

describe('buildGeminiRequest: messages', () => {
  it('hoists system and developer text, maps roles and merges same-role neighbours', () => {
    const { body, warnings } = build({
      messages: [
        { role: 'system', content: 'One.' },
        { role: 'developer', content: [{ type: 'text', text: 'Two.' }] },
        { role: 'user', content: 'a' },
        { role: 'user', content: [{ type: 'text', text: 'b' }] },
        { role: 'assistant', content: 'c' },
        { role: 'assistant', content: [{ type: 'text', text: 'd' }, { type: 'refusal', refusal: 'no' }] },
        { role: 'user', content: 'e' },
      ],
    });
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'One.' }, { text: 'Two.' }] });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ text: 'c' }, { text: 'd' }, { text: 'no' }] },
      { role: 'user', parts: [{ text: 'e' }] },
    ]);
    expect(warnings).toEqual([]);
  });

  it('warns when a system message from mid-conversation is moved into systemInstruction', () => {
    const { body, warnings } = build({ messages: [{ role: 'user', content: 'a' }, { role: 'system', content: 'late' }, { role: 'user', content: 'b' }] });
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'late' }] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
    expect(warnings).toEqual([expect.objectContaining({ code: 'unsupported_parameter', param: 'messages[1]' })]);
  });

  it('puts system text into the first user turn for Gemma, which takes no systemInstruction', () => {
    const { body, warnings } = build({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] }, 'gemma-3-27b-it');
    expect(body).not.toHaveProperty('systemInstruction');
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Be brief.' }, { text: 'hi' }] }]);
    expect(warnings).toEqual([expect.objectContaining({ code: 'unsupported_parameter', param: 'messages' })]);
  });

  it('skips empty texts and messages that end up without parts', () => {
    const { body } = build({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: '' }, { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'b' }] }] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
  });

  it('sends data URLs inline, audio with its MIME type, and files from data or a Gemini file name', () => {
    const { body } = build({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
            { type: 'file', file: { file_data: 'JVBERi0=' } },
            { type: 'file', file: { file_data: 'aGk=', filename: 'notes.txt' } },
            { type: 'file', file: { file_id: 'files/abc-123', filename: 'clip.mp4' } },
          ],
        },
      ],
    });
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'Describe' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
          { inlineData: { mimeType: 'audio/mp3', data: 'SUQz' } },
          { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
          { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
          { inlineData: { mimeType: 'text/plain', data: 'aGk=' } },
          { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc-123', mimeType: 'video/mp4' } },
        ],
      },
    ]);
  });

  it('passes Files API and YouTube URLs as fileData', () => {
    const urls = ['https://generativelanguage.googleapis.com/v1beta/files/xyz', 'https://www.youtube.com/watch?v=9hE5-98ZeCg', 'https://youtu.be/9hE5-98ZeCg'];
    const { body } = build({ messages: [{ role: 'user', content: urls.map((url) => ({ type: 'image_url', image_url: { url } })) }] });
    expect(body.contents).toEqual([{ role: 'user', parts: urls.map((fileUri) => ({ fileData: { fileUri } })) }]);
  });

  it.each([
    ['https://example.com/cat.png', 'messages[0].content[1].image_url.url', 'does not fetch URLs'],
    ['data:image/png,rawbytes', 'messages[0].content[1].image_url.url', 'base64 data URL'],
  ])('rejects the image URL %s with a 400 naming the part', (url, param, phrase) => {
    const error = thrown(() => build({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url } }] }] }));
    expect(error).toMatchObject({ status: 400, code: 'invalid_parameter_value', param });
    expect(error.message).toContain(phrase);
  });

  it("rejects another provider's file id", () => {
    const error = thrown(() => build({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }] }));
    expect(error).toMatchObject({ status: 400, code: 'invalid_parameter_value', param: 'messages[0].content[0].file.file_id' });
  });
});

describe('buildGeminiRequest: tool calls and results', () => {
  const TOOLS = [
    { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } },
  ];
  const PARALLEL = {
    role: 'assistant',
    content: 'Checking.',
    tool_calls: [
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' }, extra_content: { google: { thought_signature: 'SIG_A' } } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
    ],
  };

  it('sends one user content with every result of the turn, in call order, names looked up by id', () => {
    const { body, warnings } = build({
      tools: TOOLS,
      messages: [
        { role: 'user', content: 'Weather and time?' },
        PARALLEL,
        { role: 'tool', tool_call_id: 'call_b', content: '14:05' },
        { role: 'tool', tool_call_id: 'call_a', content: [{ type: 'text', text: '{"temp":21}' }] },
      ],
    }, 'gemini-3.5-flash');
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather and time?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { id: 'call_a', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'SIG_A' },
          // The second of parallel calls legitimately has no signature.
          { functionCall: { id: 'call_b', name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'call_a', name: 'get_weather', response: { temp: 21 } } },
          { functionResponse: { id: 'call_b', name: 'get_time', response: { output: '14:05' } } },
        ],
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('wraps non-object results (arrays, numbers, broken JSON) under output', () => {
    const { body } = build({
      tools: TOOLS,
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: ['[1,2]', '42', '{broken'].map((_, i) => ({ id: `c${i}`, type: 'function', function: { name: 'get_time', arguments: '{}' } })) },
        { role: 'tool', tool_call_id: 'c0', content: '[1,2]' },
        { role: 'tool', tool_call_id: 'c1', content: '42' },
        { role: 'tool', tool_call_id: 'c2', content: '{broken' },
      ],
    });
    const results = (body.contents as { parts: { functionResponse?: { response: unknown } }[] }[])[2]!.parts.map((part) => part.functionResponse?.response);
    expect(results).toEqual([{ output: '[1,2]' }, { output: '42' }, { output: '{broken' }]);
  });

  it("reads a signature from LiteLLM's __thought__ id suffix and sends the bare id", () => {
    const id = 'call_123__thought__U0lHX0xJVEU=';
    const { body } = build({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: id, content: 'noon' },
      ],
    }, 'gemini-3.5-flash');
    const contents = body.contents as { parts: unknown[] }[];
    expect(contents[1]!.parts).toEqual([{ functionCall: { id: 'call_123', name: 'get_time', args: {} }, thoughtSignature: 'U0lHX0xJVEU=' }]);
    expect(contents[2]!.parts).toEqual([{ functionResponse: { id: 'call_123', name: 'get_time', response: { output: 'noon' } } }]);
  });

  const UNSIGNED_HISTORY = [
    { role: 'user', content: 'old question' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'old_1', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'old_1', content: 'noon' },
    { role: 'assistant', content: 'It is noon.' },
    { role: 'user', content: 'And the weather?' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'new_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
        { id: 'new_2', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'new_1', content: 'sun' },
    { role: 'tool', tool_call_id: 'new_2', content: 'rain' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'new_3', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'new_3', content: 'one' },
  ];

  function functionCallParts(body: Record<string, unknown>) {
    return (body.contents as { parts: { functionCall?: { id: string }; thoughtSignature?: string }[] }[])
      .flatMap((content) => content.parts)
      .filter((part) => part.functionCall !== undefined)
      .map((part) => ({ id: part.functionCall!.id, signature: part.thoughtSignature }));
  }

  it('on Gemini 3, puts the placeholder on the first unsigned call of each step of the current turn only, with a warning', () => {
    const { body, warnings } = build({ tools: TOOLS, messages: UNSIGNED_HISTORY }, 'gemini-3.1-pro-preview');
    expect(functionCallParts(body)).toEqual([
      { id: 'old_1', signature: undefined },
      { id: 'new_1', signature: 'skip_thought_signature_validator' },
      { id: 'new_2', signature: undefined },
      { id: 'new_3', signature: 'skip_thought_signature_validator' },
    ]);
    expect(warnings.map((warning) => [warning.code, warning.param])).toEqual([
      ['unsupported_parameter', 'messages[5].tool_calls[0]'],
      ['unsupported_parameter', 'messages[8].tool_calls[0]'],
    ]);
  });

  it('sends no placeholder to Gemini 2.5, which does not validate signatures', () => {
    const { body, warnings } = build({ tools: TOOLS, messages: UNSIGNED_HISTORY }, 'gemini-2.5-flash');
    expect(functionCallParts(body).every((part) => part.signature === undefined)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it("puts a text answer's signature (message extra_content) back on its last part", () => {
    const { body } = build({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'A long answer.', reasoning_content: 'thinking…', extra_content: { google: { thought_signature: 'TEXT_SIG' } } },
        { role: 'user', content: 'more' },
      ],
    });
    expect((body.contents as unknown[])[1]).toEqual({ role: 'model', parts: [{ text: 'A long answer.', thoughtSignature: 'TEXT_SIG' }] });
  });

  it('sends empty arguments as {} and rejects arguments that are not a JSON object', () => {
    const messages = (args: string) => [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: args } }] },
    ];
    expect((build({ messages: messages('') }).body.contents as { parts: unknown[] }[])[1]!.parts).toEqual([{ functionCall: { id: 'c', name: 'f', args: {} } }]);
    for (const args of ['{not json', '[1]', '"text"']) {
      expect(thrown(() => build({ messages: messages(args) }))).toMatchObject({ status: 400, code: 'invalid_parameter_value', param: 'messages[1].tool_calls[0].function.arguments' });
    }
  });
});

describe('buildGeminiRequest: tools and tool_choice', () => {
  it('declares every function in one list, omits the schema of no-argument tools and strips rejected keywords', () => {
    const { body, warnings } = build({
      tools: [
        { type: 'function', function: { name: 'ping', description: 'No arguments.' } },
        { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
        { type: 'function', function: { name: 'closed', parameters: { type: 'object', properties: {}, additionalProperties: false } } },
        {
          type: 'function',
          function: {
            name: 'search',
            strict: true,
            parameters: {
              $schema: 'http://json-schema.org/draft-07/schema#',
              type: 'object',
              properties: {
                // A property may be called "$schema": it is a name, not a keyword.
                $schema: { type: 'string' },
                filters: { type: 'object', properties: {} },
                tags: { type: 'array', items: { $schema: 'x', type: 'string' } },
                either: { anyOf: [{ type: 'string' }, { type: 'object', properties: {} }] },
              },
              required: ['filters'],
            },
          },
        },
      ],
    });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'ping', description: 'No arguments.' },
          { name: 'now' },
          { name: 'closed' },
          {
            name: 'search',
            parametersJsonSchema: {
              type: 'object',
              properties: { $schema: { type: 'string' }, filters: { type: 'object' }, tags: { type: 'array', items: { type: 'string' } }, either: { anyOf: [{ type: 'string' }, { type: 'object' }] } },
              required: ['filters'],
            },
          },
        ],
      },
    ]);
    expect(warnings.map((warning) => warning.param)).toEqual([
      'tools[3].function.parameters.$schema',
      'tools[3].function.parameters.properties.filters.properties',
      'tools[3].function.parameters.properties.tags.items.$schema',
      'tools[3].function.parameters.properties.either.anyOf[1].properties',
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  const TOOLS = [{ type: 'function', function: { name: 'f' } }, { type: 'function', function: { name: 'g' } }];
  it.each<[unknown, unknown]>([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [{ type: 'function', function: { name: 'g' } }, { mode: 'ANY', allowedFunctionNames: ['g'] }],
  ])('tool_choice %j → functionCallingConfig %j', (choice, config) => {
    const { body } = build({ tools: TOOLS, tool_choice: choice });
    expect(body.toolConfig).toEqual({ functionCallingConfig: config });
    expect((body.tools as { functionDeclarations: unknown[] }[])[0]!.functionDeclarations).toHaveLength(2);
  });

  it('sends no tool settings without tools, and warns that parallel_tool_calls false cannot be honoured', () => {
    const without = build({ tool_choice: 'none', parallel_tool_calls: false });
    expect(without.body).not.toHaveProperty('tools');
    expect(without.body).not.toHaveProperty('toolConfig');
    expect(without.warnings).toEqual([]);
    const withTools = build({ tools: TOOLS, parallel_tool_calls: false });
    expect(withTools.warnings).toEqual([expect.objectContaining({ code: 'unsupported_parameter', param: 'parallel_tool_calls' })]);
    expect(build({ tools: TOOLS, parallel_tool_calls: true }).warnings).toEqual([]);
  });

  it('turns web_search_options into the googleSearch tool next to the functions', () => {
    const { body, warnings } = build({ tools: TOOLS, web_search_options: { search_context_size: 'low' } });
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'f' }, { name: 'g' }] }, { googleSearch: {} }]);
    expect(warnings).toEqual([expect.objectContaining({ param: 'web_search_options' })]);
    expect(build({ web_search_options: {} })).toMatchObject({ body: { tools: [{ googleSearch: {} }] }, warnings: [] });
  });
});

describe('buildGeminiRequest: generationConfig', () => {
  it('maps the sampling and output parameters', () => {
    const { body, warnings } = build({
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      max_tokens: 300,
      stop: ['END', 'STOP'],
      seed: 7,
      n: 2,
      logprobs: true,
      top_logprobs: 3,
      response_format: { type: 'json_object' },
    });
    expect(body.generationConfig).toEqual({
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      candidateCount: 2,
      maxOutputTokens: 300,
      stopSequences: ['END', 'STOP'],
      seed: 7,
      responseLogprobs: true,
      logprobs: 3,
      responseMimeType: 'application/json',
    });
    expect(warnings).toEqual([]);
  });

  it('sends no generationConfig when nothing is set, and n=1 and logprobs=false not at all', () => {
    expect(build({}).body).not.toHaveProperty('generationConfig');
    expect(build({ n: 1, logprobs: false, response_format: { type: 'text' } }).body).not.toHaveProperty('generationConfig');
  });

  it('strips $schema from a json_schema response format with a warning', () => {
    const { body, warnings } = build({ response_format: { type: 'json_schema', json_schema: { name: 'x', strict: true, schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { a: { type: 'string' } } } } } });
    expect(body.generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { a: { type: 'string' } } } });
    expect(warnings).toEqual([expect.objectContaining({ param: 'response_format.json_schema.schema.$schema' })]);
  });

  it('sends penalties only to models that take them, else drops them with a warning', () => {
    const dropped = build({ presence_penalty: 0.5, frequency_penalty: 0.2 }, 'gemini-2.5-flash');
    expect(dropped.body).not.toHaveProperty('generationConfig');
    expect(dropped.warnings.map((warning) => [warning.code, warning.param])).toEqual([
      ['unsupported_parameter', 'presence_penalty'],
      ['unsupported_parameter', 'frequency_penalty'],
    ]);
    const kept = build({ presence_penalty: 0.5, frequency_penalty: 0.2 }, 'gemini-2.0-flash');
    expect(kept.body.generationConfig).toEqual({ presencePenalty: 0.5, frequencyPenalty: 0.2 });
    expect(kept.warnings).toEqual([]);
  });

  it('drops what Gemini has no field for, one warning each', () => {
    const { body, warnings } = build({
      min_p: 0.1, top_a: 0.1, repetition_penalty: 1.1, logit_bias: { '50256': -100 }, user: 'u1', verbosity: 'low',
      prompt_cache_key: 'k', prompt_cache_retention: '24h', safety_identifier: 'u_1', temperature: 1,
    });
    expect(body.generationConfig).toEqual({ temperature: 1 });
    expect(warnings.map((warning) => warning.param).sort()).toEqual(
      ['logit_bias', 'min_p', 'prompt_cache_key', 'prompt_cache_retention', 'repetition_penalty', 'safety_identifier', 'top_a', 'user', 'verbosity'].sort(),
    );
    for (const warning of warnings) {
      expect(warning.code).toBe('unsupported_parameter');
      expect(warning.message).toContain('google_ai_studio');
    }
  });
});

describe('buildGeminiRequest: reasoning_effort', () => {
  function thinking(effort: string, model: string, capabilities: Partial<OfferCapabilities> = {}) {
    const { body, warnings } = build({ reasoning_effort: effort }, model, { capabilities: { ...PERMISSIVE, ...capabilities } });
    return { config: (body.generationConfig as { thinkingConfig?: unknown } | undefined)?.thinkingConfig, warnings: warnings.map((warning) => warning.code) };
  }

  it.each<[string, string, unknown, string[]]>([
    // 2.5 Flash: budgets 0..24576
    ['gemini-2.5-flash', 'low', { thinkingBudget: 1024, includeThoughts: true }, []],
    ['gemini-2.5-flash', 'medium', { thinkingBudget: 2048, includeThoughts: true }, []],
    ['gemini-2.5-flash', 'high', { thinkingBudget: 4096, includeThoughts: true }, []],
    ['gemini-2.5-flash', 'xhigh', { thinkingBudget: 24576, includeThoughts: true }, []],
    ['gemini-2.5-flash', 'max', { thinkingBudget: 24576, includeThoughts: true }, []],
    ['gemini-2.5-flash', 'off', { thinkingBudget: 0 }, []],
    // 2.5 Pro: 128..32768, cannot disable
    ['gemini-2.5-pro', 'max', { thinkingBudget: 32768, includeThoughts: true }, []],
    ['gemini-2.5-pro', 'off', { thinkingBudget: 128 }, ['unsupported_parameter']],
    // 2.5 Flash-Lite: 0 or 512..24576
    ['gemini-2.5-flash-lite', 'off', { thinkingBudget: 0 }, []],
    ['gemini-2.5-flash-lite', 'low', { thinkingBudget: 1024, includeThoughts: true }, []],
    // 3.x Flash: minimal..high
    ['gemini-3.5-flash', 'low', { thinkingLevel: 'LOW', includeThoughts: true }, []],
    ['gemini-3.5-flash', 'medium', { thinkingLevel: 'MEDIUM', includeThoughts: true }, []],
    ['gemini-3.5-flash', 'high', { thinkingLevel: 'HIGH', includeThoughts: true }, []],
    ['gemini-3.5-flash', 'xhigh', { thinkingLevel: 'HIGH', includeThoughts: true }, []],
    ['gemini-3.5-flash-lite', 'off', { thinkingLevel: 'MINIMAL' }, ['unsupported_parameter']],
    // 3.x Pro: low, high
    ['gemini-3.1-pro-preview', 'low', { thinkingLevel: 'LOW', includeThoughts: true }, []],
    ['gemini-3.1-pro-preview', 'medium', { thinkingLevel: 'HIGH', includeThoughts: true }, ['unsupported_parameter']],
    ['gemini-3.1-pro-preview', 'max', { thinkingLevel: 'HIGH', includeThoughts: true }, []],
    ['gemini-3.1-pro-preview', 'off', { thinkingLevel: 'LOW' }, ['unsupported_parameter']],
    // Models that do not think: nothing is sent
    ['gemini-2.0-flash', 'off', undefined, []],
    ['gemini-2.0-flash', 'high', undefined, ['unsupported_parameter']],
  ])('%s, %s → %j', (model, effort, config, warnings) => {
    expect(thinking(effort, model)).toEqual({ config, warnings });
  });

  it('answers "off" with 400 thinking_disable_not_supported when the offer is marked as always reasoning', () => {
    const error = thrown(() => thinking('off', 'gemini-3.1-pro-preview', { reasoning: 'always' }));
    expect(error).toMatchObject({ status: 400, code: 'thinking_disable_not_supported', param: 'reasoning_effort' });
  });

  it('accepts models/ prefixed ids', () => {
    expect(thinking('low', 'models/gemini-2.5-flash').config).toEqual({ thinkingBudget: 1024, includeThoughts: true });
  });
});

describe('buildGeminiRequest: extensions', () => {
  it('merges extensions.google, its aliases and extensions.<provider id>, objects key by key', () => {
    const { body, warnings } = build({
      temperature: 0.5,
      extensions: {
        google: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
        gemini: { generationConfig: { responseModalities: ['TEXT'] } },
        google_ai_studio: { cachedContent: 'cachedContents/abc' },
        openai: { service_tier: 'flex' },
        anthropic: { top_k: 5 },
      },
    });
    expect(body).toMatchObject({
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      cachedContent: 'cachedContents/abc',
      generationConfig: { temperature: 0.5, responseModalities: ['TEXT'] },
    });
    expect(body).not.toHaveProperty('service_tier');
    expect(body).not.toHaveProperty('top_k');
    expect(warnings).toEqual([]);
  });

  it('removes credentials and core fields with blocked_extension_field warnings', () => {
    const { body, warnings } = build({ extensions: { google: { api_key: 'x', contents: [], system_instruction: {}, labels: { token: 'y', team: 'a' } } } });
    expect(body).toMatchObject({ labels: { team: 'a' } });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }] }]);
    expect(warnings.map((warning) => [warning.code, warning.param])).toEqual([
      ['blocked_extension_field', 'extensions.google.api_key'],
      ['blocked_extension_field', 'extensions.google.contents'],
      ['blocked_extension_field', 'extensions.google.system_instruction'],
      ['blocked_extension_field', 'extensions.google.labels.token'],
    ]);
  });

  it('lets reasoning_effort replace thinking set through extensions, with warnings', () => {
    const { body, warnings } = build({
      reasoning_effort: 'high',
      extensions: { google: { thinkingConfig: { thinkingBudget: 9 }, thinking: { type: 'enabled', budget_tokens: 9 }, generationConfig: { thinkingConfig: { thinkingBudget: 9 }, topK: 3 } } },
    });
    expect(body.generationConfig).toEqual({ topK: 3, thinkingConfig: { thinkingBudget: 4096, includeThoughts: true } });
    expect(warnings.map((warning) => [warning.code, warning.param])).toEqual([
      ['blocked_extension_field', 'extensions.google.thinkingConfig'],
      ['blocked_extension_field', 'extensions.google.thinking'],
      ['blocked_extension_field', 'extensions.google.generationConfig.thinkingConfig'],
    ]);
  });

  it('uses thinking from extensions when reasoning_effort is absent, including the thinking shorthand', () => {
    expect(build({ extensions: { google: { generationConfig: { thinkingConfig: { thinkingLevel: 'LOW' } } } } }).body.generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'LOW' } });
    expect(build({ extensions: { google: { thinkingConfig: { thinkingBudget: 500 } } } }).body.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 500 } });
    expect(build({ extensions: { gemini: { thinking: { type: 'enabled', budget_tokens: 2000 } } } }).body.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 2000, includeThoughts: true } });
    expect(build({ extensions: { gemini: { thinking: { type: 'disabled' } } } }).body.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } });
  });
});

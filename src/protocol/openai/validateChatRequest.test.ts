import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/gatewayError.js';
import { validateChatRequest } from './validateChatRequest.js';

const MESSAGES = [{ role: 'user', content: 'hi' }];
const TOOLS = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } },
  { type: 'function', function: { name: 'lookup-2', description: 'Look up', strict: true } },
];

function validate(fields: Record<string, unknown>) {
  return validateChatRequest({ model: 'gpt-4o', messages: MESSAGES, ...fields });
}

function expectRejected(run: () => unknown, status: number, code: string, param: string | null): void {
  expect(run).toThrow(expect.objectContaining({ name: 'GatewayError', status, code, param }));
}

describe('validateChatRequest: the body', () => {
  it.each([null, undefined, [], 'hello', 42, true])('rejects a body that is not a JSON object (%j)', (body) => {
    expectRejected(() => validateChatRequest(body), 400, 'invalid_request', null);
  });

  it('builds the neutral request of a minimal body', () => {
    expect(validateChatRequest({ model: 'gpt-4o', messages: MESSAGES })).toEqual({
      request: {
        messages: MESSAGES,
        params: {},
        stream: false,
        legacyFunctions: false,
        extensions: {},
        gateway: { models: ['gpt-4o'], modelsParam: 'model', mode: 'pool', strategy: undefined, routing: {}, metadata: {} },
      },
      warnings: [],
    });
  });

  it('does not mutate what the caller passed', () => {
    const body = {
      model: 'gpt-4o:floor',
      messages: [
        { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } },
        { role: 'function', name: 'f', content: 'ok' },
      ],
      functions: [{ name: 'f' }],
      function_call: 'auto',
      max_tokens: 5,
      gateway: { routing: { optimize: 'speed', exclude_providers: ['a'] } },
      metadata: { a: 'b' },
    };
    const before = structuredClone(body);
    validateChatRequest(Object.freeze(body));
    expect(body).toEqual(before);
  });
});

describe('validateChatRequest: generation parameters', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['temperature 0', { temperature: 0 }, { temperature: 0 }],
    ['temperature 2', { temperature: 2 }, { temperature: 2 }],
    ['top_p 0..1', { top_p: 1 }, { top_p: 1 }],
    ['top_k integer', { top_k: 1 }, { top_k: 1 }],
    ['min_p', { min_p: 0.05 }, { min_p: 0.05 }],
    ['top_a', { top_a: 0 }, { top_a: 0 }],
    ['repetition_penalty', { repetition_penalty: 1.1 }, { repetition_penalty: 1.1 }],
    ['max_tokens → max_completion_tokens', { max_tokens: 100 }, { max_completion_tokens: 100 }],
    ['max_completion_tokens', { max_completion_tokens: 1 }, { max_completion_tokens: 1 }],
    ['both token limits equal', { max_tokens: 7, max_completion_tokens: 7 }, { max_completion_tokens: 7 }],
    ['presence and frequency penalties', { presence_penalty: -2, frequency_penalty: 2 }, { presence_penalty: -2, frequency_penalty: 2 }],
    ['logit_bias', { logit_bias: { '50256': -100, '7': 100 } }, { logit_bias: { '50256': -100, '7': 100 } }],
    ['empty logit_bias', { logit_bias: {} }, { logit_bias: {} }],
    ['seed', { seed: -42 }, { seed: -42 }],
    ['largest seed', { seed: Number.MAX_SAFE_INTEGER }, { seed: Number.MAX_SAFE_INTEGER }],
    ['n', { n: 10 }, { n: 10 }],
    ['logprobs with top_logprobs', { logprobs: true, top_logprobs: 20 }, { logprobs: true, top_logprobs: 20 }],
    ['top_logprobs 0', { logprobs: true, top_logprobs: 0 }, { logprobs: true, top_logprobs: 0 }],
    ['logprobs false', { logprobs: false }, { logprobs: false }],
    ['stop string → list', { stop: 'END' }, { stop: ['END'] }],
    ['stop list', { stop: ['a', 'b', 'c', 'd'] }, { stop: ['a', 'b', 'c', 'd'] }],
    ['reasoning_effort', { reasoning_effort: 'xhigh' }, { reasoning_effort: 'xhigh' }],
    ['reasoning_effort off', { reasoning_effort: 'off' }, { reasoning_effort: 'off' }],
    ['parallel_tool_calls', { parallel_tool_calls: false }, { parallel_tool_calls: false }],
    ['user', { user: 'u-1' }, { user: 'u-1' }],
    ['prompt cache hints', { prompt_cache_key: 'k', prompt_cache_retention: '24h' }, { prompt_cache_key: 'k', prompt_cache_retention: '24h' }],
    ['safety_identifier', { safety_identifier: 'h' }, { safety_identifier: 'h' }],
    ['verbosity', { verbosity: 'high' }, { verbosity: 'high' }],
    ['web_search_options', { web_search_options: { search_context_size: 'low' } }, { web_search_options: { search_context_size: 'low' } }],
    ['response_format text', { response_format: { type: 'text' } }, { response_format: { type: 'text' } }],
    ['response_format json_object', { response_format: { type: 'json_object' } }, { response_format: { type: 'json_object' } }],
    [
      'response_format json_schema',
      { response_format: { type: 'json_schema', json_schema: { name: 'out_1', description: 'd', schema: { type: 'object' }, strict: true } } },
      { response_format: { type: 'json_schema', json_schema: { name: 'out_1', description: 'd', schema: { type: 'object' }, strict: true } } },
    ],
    ['null means absent', { temperature: null, stop: null, tools: null, tool_choice: null, seed: null, user: null }, {}],
    ['stream fields are not parameters', { stream: true, stream_options: { include_usage: false } }, {}],
  ])('accepts %s', (_name, fields, params) => {
    const { request, warnings } = validate(fields);
    expect(request.params).toEqual(params);
    expect(warnings).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['temperature above 2', { temperature: 3 }, 'invalid_parameter_value', 'temperature'],
    ['temperature below 0', { temperature: -0.1 }, 'invalid_parameter_value', 'temperature'],
    ['temperature as a string', { temperature: '1' }, 'invalid_parameter_value', 'temperature'],
    ['temperature NaN', { temperature: Number.NaN }, 'invalid_parameter_value', 'temperature'],
    ['temperature Infinity', { temperature: Infinity }, 'invalid_parameter_value', 'temperature'],
    ['temperature boolean', { temperature: true }, 'invalid_parameter_value', 'temperature'],
    ['top_p above 1', { top_p: 1.01 }, 'invalid_parameter_value', 'top_p'],
    ['top_k 0', { top_k: 0 }, 'invalid_parameter_value', 'top_k'],
    ['top_k fractional', { top_k: 1.5 }, 'invalid_parameter_value', 'top_k'],
    ['min_p above 1', { min_p: 2 }, 'invalid_parameter_value', 'min_p'],
    ['top_a negative', { top_a: -1 }, 'invalid_parameter_value', 'top_a'],
    ['repetition_penalty 0', { repetition_penalty: 0 }, 'invalid_parameter_value', 'repetition_penalty'],
    ['max_tokens 0', { max_tokens: 0 }, 'invalid_parameter_value', 'max_tokens'],
    ['max_tokens fractional', { max_tokens: 1.5 }, 'invalid_parameter_value', 'max_tokens'],
    ['max_tokens as a string', { max_tokens: '10' }, 'invalid_parameter_value', 'max_tokens'],
    ['max_completion_tokens 0', { max_completion_tokens: 0 }, 'invalid_parameter_value', 'max_completion_tokens'],
    ['max_tokens bad even with max_completion_tokens', { max_tokens: -1, max_completion_tokens: 5 }, 'invalid_parameter_value', 'max_tokens'],
    ['presence_penalty above 2', { presence_penalty: 2.5 }, 'invalid_parameter_value', 'presence_penalty'],
    ['frequency_penalty below -2', { frequency_penalty: -3 }, 'invalid_parameter_value', 'frequency_penalty'],
    ['logit_bias array', { logit_bias: [1] }, 'invalid_parameter_value', 'logit_bias'],
    ['logit_bias non-digit key', { logit_bias: { abc: 1 } }, 'invalid_parameter_value', 'logit_bias'],
    ['logit_bias negative key', { logit_bias: { '-1': 1 } }, 'invalid_parameter_value', 'logit_bias'],
    ['logit_bias value above 100', { logit_bias: { '12': 101 } }, 'invalid_parameter_value', 'logit_bias.12'],
    ['logit_bias value not a number', { logit_bias: { '12': 'x' } }, 'invalid_parameter_value', 'logit_bias.12'],
    ['seed fractional', { seed: 1.5 }, 'invalid_parameter_value', 'seed'],
    ['seed beyond safe integers', { seed: 2 ** 53 }, 'invalid_parameter_value', 'seed'],
    ['n 0', { n: 0 }, 'invalid_parameter_value', 'n'],
    ['n 11', { n: 11 }, 'invalid_parameter_value', 'n'],
    ['logprobs as a string', { logprobs: 'true' }, 'invalid_parameter_value', 'logprobs'],
    ['top_logprobs 21', { logprobs: true, top_logprobs: 21 }, 'invalid_parameter_value', 'top_logprobs'],
    ['top_logprobs without logprobs', { top_logprobs: 5 }, 'invalid_parameter_value', 'top_logprobs'],
    ['top_logprobs with logprobs false', { logprobs: false, top_logprobs: 5 }, 'invalid_parameter_value', 'top_logprobs'],
    ['reasoning_effort unknown', { reasoning_effort: 'extreme' }, 'invalid_parameter_value', 'reasoning_effort'],
    ['reasoning_effort number', { reasoning_effort: 3 }, 'invalid_parameter_value', 'reasoning_effort'],
    ['stop empty string', { stop: '' }, 'invalid_parameter_value', 'stop'],
    ['stop empty list', { stop: [] }, 'invalid_parameter_value', 'stop'],
    ['stop five strings', { stop: ['a', 'b', 'c', 'd', 'e'] }, 'invalid_parameter_value', 'stop'],
    ['stop with an empty string', { stop: ['a', ''] }, 'invalid_parameter_value', 'stop[1]'],
    ['stop with a number', { stop: [1] }, 'invalid_parameter_value', 'stop[0]'],
    ['stop number', { stop: 5 }, 'invalid_parameter_value', 'stop'],
    ['user number', { user: 5 }, 'invalid_parameter_value', 'user'],
    ['prompt_cache_key object', { prompt_cache_key: {} }, 'invalid_parameter_value', 'prompt_cache_key'],
    ['prompt_cache_retention number', { prompt_cache_retention: 24 }, 'invalid_parameter_value', 'prompt_cache_retention'],
    ['safety_identifier boolean', { safety_identifier: true }, 'invalid_parameter_value', 'safety_identifier'],
    ['verbosity unknown', { verbosity: 'loud' }, 'invalid_parameter_value', 'verbosity'],
    ['web_search_options string', { web_search_options: 'on' }, 'invalid_parameter_value', 'web_search_options'],
    ['web_search_options array', { web_search_options: [] }, 'invalid_parameter_value', 'web_search_options'],
    ['parallel_tool_calls number', { parallel_tool_calls: 1 }, 'invalid_parameter_value', 'parallel_tool_calls'],
    ['stream string', { stream: 'yes' }, 'invalid_parameter_value', 'stream'],
    ['stream_options boolean', { stream_options: true }, 'invalid_parameter_value', 'stream_options'],
    ['response_format string', { response_format: 'json' }, 'invalid_parameter_value', 'response_format'],
    ['response_format unknown type', { response_format: { type: 'xml' } }, 'invalid_parameter_value', 'response_format.type'],
    ['response_format without type', { response_format: {} }, 'missing_required_parameter', 'response_format.type'],
    ['json_schema missing', { response_format: { type: 'json_schema' } }, 'missing_required_parameter', 'response_format.json_schema'],
    [
      'json_schema name missing',
      { response_format: { type: 'json_schema', json_schema: { schema: {} } } },
      'missing_required_parameter',
      'response_format.json_schema.name',
    ],
    [
      'json_schema name with spaces',
      { response_format: { type: 'json_schema', json_schema: { name: 'my schema' } } },
      'invalid_parameter_value',
      'response_format.json_schema.name',
    ],
    [
      'json_schema schema array',
      { response_format: { type: 'json_schema', json_schema: { name: 'a', schema: [] } } },
      'invalid_parameter_value',
      'response_format.json_schema.schema',
    ],
    [
      'json_schema strict string',
      { response_format: { type: 'json_schema', json_schema: { name: 'a', strict: 'yes' } } },
      'invalid_parameter_value',
      'response_format.json_schema.strict',
    ],
    [
      'json_schema description number',
      { response_format: { type: 'json_schema', json_schema: { name: 'a', description: 1 } } },
      'invalid_parameter_value',
      'response_format.json_schema.description',
    ],
  ])('rejects %s', (_name, fields, code, param) => {
    expectRejected(() => validate(fields), 400, code, param);
  });

  it('writes clear messages', () => {
    expect(() => validate({ temperature: 3 })).toThrow("'temperature' must be a number between 0 and 2, got 3.");
    expect(() => validate({ top_k: 0.5 })).toThrow("'top_k' must be an integer of at least 1, got 0.5.");
    expect(() => validate({ repetition_penalty: 0 })).toThrow("'repetition_penalty' must be a number greater than 0, got 0.");
    expect(() => validate({ verbosity: 'loud' })).toThrow("'verbosity' must be one of 'low', 'medium', 'high', got \"loud\".");
    expect(() => validate({ temperature: 'x'.repeat(100) })).toThrow(
      `'temperature' must be a number between 0 and 2, got "${'x'.repeat(40)}"…`,
    );
  });

  it('prefers max_completion_tokens and says so when max_tokens differs', () => {
    const { request, warnings } = validate({ max_tokens: 10, max_completion_tokens: 20 });
    expect(request.params).toEqual({ max_completion_tokens: 20 });
    expect(warnings).toEqual([{ code: 'legacy_field_converted', param: 'max_tokens', message: expect.stringContaining('ignored') }]);
  });

  it.each([
    ['none', 'off'],
    ['minimal', 'low'],
  ])("normalises OpenAI's reasoning_effort '%s' to '%s' with a warning", (sent, stored) => {
    const { request, warnings } = validate({ reasoning_effort: sent });
    expect(request.params.reasoning_effort).toBe(stored);
    expect(warnings).toEqual([{ code: 'unsupported_parameter', param: 'reasoning_effort', message: expect.stringContaining(stored) }]);
  });

  it('keeps the caller objects of logit_bias, response_format and stop lists', () => {
    const logitBias = { '1': 5 };
    const responseFormat = { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' }, extra: 1 } };
    const stop = ['a'];
    const { request } = validate({ logit_bias: logitBias, response_format: responseFormat, stop });
    expect(request.params.logit_bias).toBe(logitBias);
    expect(request.params.response_format).toBe(responseFormat);
    expect(request.params.stop).toBe(stop);
  });
});

describe('validateChatRequest: tools', () => {
  it('accepts function tools and keeps their objects (cache_control and unknown fields included)', () => {
    const tools = [{ ...TOOLS[0], cache_control: { type: 'ephemeral', ttl: '1h' }, custom: 1 }, TOOLS[1]];
    const { request, warnings } = validate({ tools, tool_choice: 'required', parallel_tool_calls: true });
    expect(request.params.tools).toBe(tools);
    expect(request.params.tool_choice).toBe('required');
    expect(request.legacyFunctions).toBe(false);
    expect(warnings).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['auto', 'auto'],
    ['none', 'none'],
    ['required', 'required'],
    ['a named tool', { type: 'function', function: { name: 'lookup-2' } }],
  ])('accepts tool_choice %s', (_name, toolChoice) => {
    expect(validate({ tools: TOOLS, tool_choice: toolChoice }).request.params.tool_choice).toEqual(toolChoice);
  });

  it.each(['auto', 'none'])('accepts tool_choice %s without tools', (toolChoice) => {
    expect(validate({ tool_choice: toolChoice }).request.params).toEqual({ tool_choice: toolChoice });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['tools not an array', { tools: {} }, 'invalid_parameter_value', 'tools'],
    ['empty tools', { tools: [] }, 'invalid_parameter_value', 'tools'],
    ['a tool that is not an object', { tools: ['f'] }, 'invalid_parameter_value', 'tools[0]'],
    ['a tool without type', { tools: [{ function: { name: 'f' } }] }, 'missing_required_parameter', 'tools[0].type'],
    ['a non-function tool', { tools: [{ type: 'custom', custom: { name: 'f' } }] }, 'invalid_parameter_value', 'tools[0].type'],
    ['a tool without function', { tools: [{ type: 'function' }] }, 'missing_required_parameter', 'tools[0].function'],
    ['a tool without a name', { tools: [{ type: 'function', function: {} }] }, 'missing_required_parameter', 'tools[0].function.name'],
    ['a name with spaces', { tools: [{ type: 'function', function: { name: 'get weather' } }] }, 'invalid_parameter_value', 'tools[0].function.name'],
    ['a name of 65 characters', { tools: [{ type: 'function', function: { name: 'a'.repeat(65) } }] }, 'invalid_parameter_value', 'tools[0].function.name'],
    ['an empty name', { tools: [{ type: 'function', function: { name: '' } }] }, 'invalid_parameter_value', 'tools[0].function.name'],
    ['duplicate names', { tools: [TOOLS[0], TOOLS[1], TOOLS[0]] }, 'invalid_parameter_value', 'tools[2].function.name'],
    ['description number', { tools: [{ type: 'function', function: { name: 'f', description: 1 } }] }, 'invalid_parameter_value', 'tools[0].function.description'],
    ['parameters string', { tools: [{ type: 'function', function: { name: 'f', parameters: '{}' } }] }, 'invalid_parameter_value', 'tools[0].function.parameters'],
    ['strict string', { tools: [{ type: 'function', function: { name: 'f', strict: 'true' } }] }, 'invalid_parameter_value', 'tools[0].function.strict'],
    [
      'bad cache_control',
      { tools: [{ type: 'function', function: { name: 'f' }, cache_control: { type: 'persistent' } }] },
      'invalid_parameter_value',
      'tools[0].cache_control.type',
    ],
    ['tool_choice unknown string', { tools: TOOLS, tool_choice: 'any' }, 'invalid_parameter_value', 'tool_choice'],
    ['tool_choice required without tools', { tool_choice: 'required' }, 'invalid_parameter_value', 'tool_choice'],
    ['tool_choice named without tools', { tool_choice: { type: 'function', function: { name: 'f' } } }, 'invalid_parameter_value', 'tool_choice'],
    ['tool_choice naming an unknown tool', { tools: TOOLS, tool_choice: { type: 'function', function: { name: 'nope' } } }, 'invalid_parameter_value', 'tool_choice'],
    ['tool_choice of another type', { tools: TOOLS, tool_choice: { type: 'allowed_tools' } }, 'invalid_parameter_value', 'tool_choice.type'],
    ['tool_choice without function', { tools: TOOLS, tool_choice: { type: 'function' } }, 'missing_required_parameter', 'tool_choice.function'],
    ['tool_choice without name', { tools: TOOLS, tool_choice: { type: 'function', function: {} } }, 'missing_required_parameter', 'tool_choice.function.name'],
  ])('rejects %s', (_name, fields, code, param) => {
    expectRejected(() => validate(fields), 400, code, param);
  });
});

describe('validateChatRequest: legacy functions', () => {
  const functions = [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }, { name: 'other' }];

  it('converts functions and function_call to tools and tool_choice', () => {
    const { request, warnings } = validate({ functions, function_call: { name: 'other' } });
    expect(request.params.tools).toEqual([
      { type: 'function', function: functions[0] },
      { type: 'function', function: functions[1] },
    ]);
    expect(request.params.tools?.[0]?.function).toBe(functions[0]);
    expect(request.params.tool_choice).toEqual({ type: 'function', function: { name: 'other' } });
    expect(request.legacyFunctions).toBe(true);
    expect(warnings).toEqual([
      { code: 'legacy_field_converted', param: 'functions', message: expect.any(String) },
      { code: 'legacy_field_converted', param: 'function_call', message: expect.any(String) },
    ]);
  });

  it.each(['auto', 'none'])("converts function_call '%s'", (functionCall) => {
    expect(validate({ functions, function_call: functionCall }).request.params.tool_choice).toBe(functionCall);
  });

  it('drops functions when tools are present, with a warning, and keeps legacyFunctions false', () => {
    const { request, warnings } = validate({ tools: TOOLS, functions, tool_choice: 'auto', function_call: 'none' });
    expect(request.params.tools).toBe(TOOLS);
    expect(request.params.tool_choice).toBe('auto');
    expect(request.legacyFunctions).toBe(false);
    expect(warnings).toEqual([
      { code: 'legacy_field_converted', param: 'functions', message: expect.stringContaining('ignored') },
      { code: 'legacy_field_converted', param: 'function_call', message: expect.stringContaining('ignored') },
    ]);
  });

  it('converts function_call alone against modern tools without setting legacyFunctions', () => {
    const { request, warnings } = validate({ tools: TOOLS, function_call: { name: 'get_weather' } });
    expect(request.params.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(request.legacyFunctions).toBe(false);
    expect(warnings).toEqual([{ code: 'legacy_field_converted', param: 'function_call', message: expect.any(String) }]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['functions not an array', { functions: { name: 'f' } }, 'invalid_parameter_value', 'functions'],
    ['empty functions', { functions: [] }, 'invalid_parameter_value', 'functions'],
    ['a function without a name', { functions: [{}] }, 'missing_required_parameter', 'functions[0].name'],
    ['a bad function name', { functions: [{ name: 'a.b' }] }, 'invalid_parameter_value', 'functions[0].name'],
    ['duplicate function names', { functions: [{ name: 'a' }, { name: 'a' }] }, 'invalid_parameter_value', 'functions[1].name'],
    ['function parameters array', { functions: [{ name: 'a', parameters: [] }] }, 'invalid_parameter_value', 'functions[0].parameters'],
    ['function_call naming an unknown function', { functions, function_call: { name: 'x' } }, 'invalid_parameter_value', 'function_call'],
    ['function_call named without functions', { function_call: { name: 'x' } }, 'invalid_parameter_value', 'function_call'],
    ['function_call required', { functions, function_call: 'required' }, 'invalid_parameter_value', 'function_call'],
  ])('rejects %s', (_name, fields, code, param) => {
    expectRejected(() => validate(fields), 400, code, param);
  });
});

describe('validateChatRequest: stream, extensions and unknown fields', () => {
  it('reads stream, false by default', () => {
    expect(validate({}).request.stream).toBe(false);
    expect(validate({ stream: true }).request.stream).toBe(true);
    expect(validate({ stream: null }).request.stream).toBe(false);
  });

  it('keeps extensions as sent', () => {
    const extensions = { anthropic: { thinking: { type: 'enabled' } }, openai: {} };
    expect(validate({ extensions }).request.extensions).toBe(extensions);
  });

  it.each<[string, unknown, string]>([
    ['extensions not an object', 'x', 'extensions'],
    ['extensions array', [], 'extensions'],
    ['a provider entry that is not an object', { anthropic: true }, 'extensions.anthropic'],
    ['a provider entry that is null', { google: null }, 'extensions.google'],
  ])('rejects %s', (_name, extensions, param) => {
    expectRejected(() => validate({ extensions }), 400, 'invalid_parameter_value', param);
  });

  it('drops unknown and unsupported top-level fields with a warning each, never rejecting', () => {
    const { request, warnings } = validate({
      metadata: { a: 'b' },
      service_tier: 'flex',
      prediction: { type: 'content', content: 'x' },
      store: true,
      audio: { voice: 'alloy' },
      modalities: ['text'],
      some_future_field: { deep: [1, 2] },
      ignored_null: null,
      temperature: 1,
    });
    expect(request.params).toEqual({ temperature: 1 });
    expect(warnings.map((w) => [w.code, w.param])).toEqual([
      ['unsupported_field', 'metadata'],
      ['unsupported_field', 'service_tier'],
      ['unsupported_field', 'prediction'],
      ['unsupported_field', 'store'],
      ['unsupported_field', 'audio'],
      ['unsupported_field', 'modalities'],
      ['unsupported_field', 'some_future_field'],
    ]);
    expect(warnings[0]?.message).toBe("'metadata' is not supported by the gateway and was ignored.");
  });

  it('treats a __proto__ key as an ordinary unknown field', () => {
    const body = JSON.parse('{"model":"m","messages":[{"role":"user","content":"x","__proto__":{"role":"tool"}}],"__proto__":{"temperature":9}}');
    const { request, warnings } = validateChatRequest(body);
    expect(request.params).toEqual({});
    expect(warnings).toEqual([{ code: 'unsupported_field', param: '__proto__', message: expect.any(String) }]);
    expect(request.messages[0]?.role).toBe('user');
  });
});

describe('validateChatRequest: fuzz', () => {
  /** Runs one body; true when it was accepted. Anything thrown but a 400 GatewayError fails the property. */
  function validatesOrRejects(body: unknown): boolean {
    try {
      validateChatRequest(body);
      return true;
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      expect(error.status).toBe(400);
      return false;
    }
  }

  it('never throws anything but a GatewayError for random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        validatesOrRejects(body);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but a GatewayError for mostly valid bodies with random values mixed in', () => {
    const anyValue = fc.oneof(
      fc.anything({ maxDepth: 2, withNullPrototype: true, withObjectString: true }),
      fc.constantFrom<unknown>(null, [], {}, '', 'auto', 'function', 'user', 0, 1, -1, 0.5, 11, Number.NaN, Infinity),
    );
    /** Mostly the valid arbitrary, sometimes anything. */
    const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: valid, weight: 15 }, { arbitrary: anyValue, weight: 1 });
    const text = fc.string({ maxLength: 8 });
    const part = fc.oneof(
      fc.record({ type: fc.constant('text'), text: mostly(text), cache_control: mostly(fc.constant({ type: 'ephemeral' })) }, { requiredKeys: ['type', 'text'] }),
      fc.record({ type: fc.constant('image_url'), image_url: mostly(fc.record({ url: fc.constantFrom('https://a.b/c.png', 'data:image/png;base64,AA', 'ftp://x') })) }),
      fc.record({ type: fc.constant('file'), file: mostly(fc.record({ file_id: text, filename: text }, { requiredKeys: [] })) }),
      fc.record({ type: mostly(fc.constantFrom('input_audio', 'refusal')), input_audio: anyValue, refusal: mostly(text) }),
    );
    const content = mostly(fc.oneof(text, fc.array(part, { minLength: 1, maxLength: 3 })));
    const call = fc.record({ id: mostly(fc.constantFrom('c1', 'c2')), type: mostly(fc.constant('function')), function: mostly(fc.record({ name: fc.constantFrom('f', 'g'), arguments: text })), extra: anyValue }, { requiredKeys: ['id', 'type', 'function'] });
    const message = fc.oneof(
      fc.record({ role: fc.constantFrom('system', 'developer', 'user'), content, name: mostly(text) }, { requiredKeys: ['role', 'content'] }),
      fc.record({ role: fc.constant('assistant'), content: fc.oneof(content, fc.constant(null)), tool_calls: mostly(fc.array(call, { maxLength: 2 })), refusal: mostly(fc.constant(null)), reasoning_content: mostly(text) }, { requiredKeys: ['role'] }),
      fc.record({ role: fc.constant('assistant'), content: fc.constant(null), function_call: mostly(fc.record({ name: fc.constantFrom('f', 'g'), arguments: text })) }),
      fc.record({ role: fc.constant('tool'), tool_call_id: mostly(fc.constantFrom('c1', 'c2', 'call_fn_0', 'call_fn_1')), content }),
      fc.record({ role: fc.constant('function'), name: mostly(fc.constantFrom('f', 'g')), content: fc.oneof(content, fc.constant(null)) }, { requiredKeys: ['role', 'name'] }),
      fc.record({ role: mostly(fc.constant('user')), content: anyValue }),
    );
    const routing = fc.record(
      {
        optimize: mostly(fc.constantFrom('cost', 'tps-focus', 'cheapest', 'speed', 'throughput')),
        weights: mostly(fc.record({ cost: fc.double({ min: 0.1, max: 5, noNaN: true }), tps: fc.double({ min: 0, max: 5, noNaN: true }), other: text }, { requiredKeys: ['cost'] })),
        max_ttft_ms: mostly(fc.double({ min: 1, max: 1e5, noNaN: true })),
        prefer: mostly(fc.oneof(fc.constant('openai'), fc.constant(['a', 'b']))),
        exclude_providers: mostly(fc.constant(['x'])),
        only_byok: mostly(fc.boolean()),
        only_platform: mostly(fc.constant(false)),
        max_fallback_attempts: mostly(fc.integer({ min: 0, max: 10 })),
        mode: mostly(fc.constantFrom('pool', 'fallback')),
        surprise: anyValue,
      },
      { requiredKeys: [] },
    );
    const body = fc.record(
      {
        model: mostly(fc.constantFrom('gpt-4o', 'gpt-4o:nitro', 'ft:a:b:c', 'x:balanced')),
        messages: mostly(fc.tuple(message, fc.array(message, { maxLength: 2 })).map(([first, rest]) => [first, ...rest])),
        temperature: mostly(fc.double({ min: 0, max: 2, noNaN: true })),
        max_tokens: mostly(fc.integer({ min: 1, max: 4096 })),
        max_completion_tokens: mostly(fc.integer({ min: 1, max: 4096 })),
        stop: mostly(fc.oneof(fc.string({ minLength: 1 }), fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 }))),
        logit_bias: mostly(fc.dictionary(fc.nat().map(String), fc.integer({ min: -100, max: 100 }))),
        logprobs: mostly(fc.constant(true)),
        top_logprobs: mostly(fc.integer({ min: 0, max: 20 })),
        tools: mostly(fc.constant(TOOLS)),
        tool_choice: mostly(fc.constantFrom('auto', 'none', 'required', { type: 'function', function: { name: 'get_weather' } })),
        functions: mostly(fc.constant([{ name: 'f' }, { name: 'g' }])),
        function_call: mostly(fc.constantFrom('auto', { name: 'f' })),
        response_format: mostly(fc.constantFrom({ type: 'text' }, { type: 'json_schema', json_schema: { name: 'x', schema: {} } })),
        reasoning_effort: mostly(fc.constantFrom('low', 'max', 'none', 'minimal')),
        stream: mostly(fc.boolean()),
        gateway: mostly(fc.record({ mode: mostly(fc.constantFrom('pool', 'fallback')), metadata: mostly(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), text)), routing }, { requiredKeys: [] })),
        routing: mostly(routing),
        extensions: mostly(fc.dictionary(text, fc.object())),
        unknown_field: anyValue,
      },
      { requiredKeys: ['model', 'messages'] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(body, (b) => {
        if (validatesOrRejects(b)) accepted++;
      }),
      { numRuns: 2000 },
    );
    // The property is only worth something if many bodies get all the way through.
    expect(accepted).toBeGreaterThan(30);
  });
});

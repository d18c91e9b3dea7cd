import { describe, expect, it } from 'vitest';
import type { Warning } from '../../core/warning.js';
import { validateChatRequest } from './validateChatRequest.js';
import { validateMessages } from './validateMessages.js';

const CALL = { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
const ASSISTANT_WITH_CALL = { role: 'assistant', content: null, tool_calls: [CALL] };
const USER = { role: 'user', content: 'hi' };

function validate(messages: unknown[]) {
  const warnings: Warning[] = [];
  return { messages: validateMessages(messages, warnings), warnings };
}

function expectRejected(messages: unknown, code: string, param: string): void {
  expect(() => validateChatRequest({ model: 'm', messages })).toThrow(
    expect.objectContaining({ name: 'GatewayError', status: 400, code, param }),
  );
}

describe('validateMessages: accepted messages', () => {
  it.each<[string, unknown[]]>([
    ['system text', [{ role: 'system', content: 'be brief' }, USER]],
    ['developer text parts', [{ role: 'developer', content: [{ type: 'text', text: 'be brief' }] }, USER]],
    ['user with a name', [{ role: 'user', content: 'hi', name: 'alice' }]],
    ['user empty string', [{ role: 'user', content: '' }]],
    [
      'user with every part type',
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look', cache_control: { type: 'ephemeral' } },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'http://example.com/a.png' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
            { type: 'input_audio', input_audio: { data: 'UklGR...', format: 'wav' } },
            { type: 'file', file: { file_id: 'file-1' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' }, cache_control: { type: 'ephemeral', ttl: '1h' } },
          ],
        },
      ],
    ],
    ['assistant text', [USER, { role: 'assistant', content: 'hello' }, USER]],
    ['assistant empty string', [USER, { role: 'assistant', content: '' }]],
    ['assistant refusal part', [USER, { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] }]],
    ['assistant null content with a refusal', [USER, { role: 'assistant', content: null, refusal: 'I cannot help with that.' }]],
    ['assistant tool calls with null content', [USER, ASSISTANT_WITH_CALL]],
    ['assistant tool calls with empty content', [USER, { ...ASSISTANT_WITH_CALL, content: '' }]],
    ['assistant tool calls with empty parts', [USER, { ...ASSISTANT_WITH_CALL, content: [] }]],
    ['assistant reasoning_content', [USER, { role: 'assistant', content: 'x', reasoning_content: 'thinking' }]],
    ['tool result', [USER, ASSISTANT_WITH_CALL, { role: 'tool', tool_call_id: 'call_1', content: 'sunny' }]],
    ['tool result as text parts', [USER, ASSISTANT_WITH_CALL, { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'sunny' }] }]],
    ['two answers to the same call', [USER, ASSISTANT_WITH_CALL, { role: 'tool', tool_call_id: 'call_1', content: 'a' }, { role: 'tool', tool_call_id: 'call_1', content: 'b' }]],
  ])('accepts %s, returning the caller objects', (_name, messages) => {
    const result = validate(messages);
    expect(result.warnings).toEqual([]);
    expect(result.messages).toHaveLength(messages.length);
    result.messages.forEach((message, i) => expect(message).toBe(messages[i]));
  });

  it('keeps unknown fields on messages, parts and tool calls, by identity', () => {
    const part = { type: 'text', text: 'x', provider_extra: { a: 1 } };
    const call = { ...CALL, extra_content: { google: { thought_signature: 'sig' } } };
    const assistant = { role: 'assistant', content: [part], tool_calls: [call], thinking_blocks: [{ type: 'thinking', signature: 's' }], audio: null, annotations: [] };
    const { messages } = validate([USER, assistant]);
    expect(messages[1]).toBe(assistant);
    expect((messages[1] as typeof assistant).tool_calls[0]).toBe(call);
    expect((messages[1] as typeof assistant).content[0]).toBe(part);
  });

  it('removes the null fields an echoed OpenAI response carries, without touching the original', () => {
    const echoed = { role: 'assistant', content: 'hi', tool_calls: null, function_call: null, refusal: null, reasoning_content: null, name: null, audio: null };
    const { messages, warnings } = validate([USER, echoed]);
    expect(messages[1]).toEqual({ role: 'assistant', content: 'hi', refusal: null, audio: null });
    expect(echoed.tool_calls).toBeNull();
    expect(warnings).toEqual([]);
  });

  it('removes an empty tool_calls list', () => {
    const { messages } = validate([USER, { role: 'assistant', content: 'hi', tool_calls: [] }]);
    expect(messages[1]).toEqual({ role: 'assistant', content: 'hi' });
  });

  it('sets an absent assistant content to null when the message has tool calls', () => {
    const { messages } = validate([USER, { role: 'assistant', tool_calls: [CALL] }]);
    expect(messages[1]).toEqual({ role: 'assistant', content: null, tool_calls: [CALL] });
  });

  it('removes a null name on a user message', () => {
    expect(validate([{ role: 'user', content: 'x', name: null }]).messages[0]).toEqual({ role: 'user', content: 'x' });
  });
});

describe('validateMessages: legacy function calling', () => {
  it('converts an assistant function_call and the function result into a tool call and a tool message', () => {
    const functionCall = { name: 'get_weather', arguments: '{}' };
    const input = [
      USER,
      { role: 'assistant', content: null, function_call: functionCall, extra: 1 },
      { role: 'function', name: 'get_weather', content: 'sunny', extra: 2 },
      { role: 'assistant', content: 'It is sunny.' },
    ];
    const { messages, warnings } = validate(input);
    expect(messages).toEqual([
      USER,
      { role: 'assistant', content: null, extra: 1, tool_calls: [{ id: 'call_fn_1', type: 'function', function: functionCall }] },
      { role: 'tool', tool_call_id: 'call_fn_1', content: 'sunny', extra: 2 },
      input[3],
    ]);
    expect(warnings).toEqual([{ code: 'legacy_field_converted', param: 'messages', message: expect.any(String) }]);
    expect(input[1]).toHaveProperty('function_call');
  });

  it('matches a function result to the most recent unanswered call of that name, with one warning', () => {
    const { messages, warnings } = validate([
      USER,
      { role: 'assistant', content: null, function_call: { name: 'f', arguments: '1' } },
      { role: 'assistant', content: null, function_call: { name: 'g', arguments: '2' } },
      { role: 'assistant', content: null, function_call: { name: 'f', arguments: '3' } },
      { role: 'function', name: 'f', content: 'r3' },
      { role: 'function', name: 'f', content: null },
      { role: 'function', name: 'g' },
    ]);
    expect(messages.slice(4)).toEqual([
      { role: 'tool', tool_call_id: 'call_fn_3', content: 'r3' },
      { role: 'tool', tool_call_id: 'call_fn_1', content: '' },
      { role: 'tool', tool_call_id: 'call_fn_2', content: '' },
    ]);
    expect(warnings).toHaveLength(1);
  });

  it('lets a tool message answer a converted call by its id', () => {
    const { messages } = validate([USER, { role: 'assistant', function_call: { name: 'f', arguments: '' } }, { role: 'tool', tool_call_id: 'call_fn_1', content: 'ok' }]);
    expect(messages[1]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 'call_fn_1', type: 'function', function: { name: 'f', arguments: '' } }] });
    expect(messages[2]?.role).toBe('tool');
  });

  it('drops function_call when the message also has tool_calls', () => {
    const { messages, warnings } = validate([USER, { ...ASSISTANT_WITH_CALL, function_call: { name: 'x', arguments: '' } }]);
    expect(messages[1]).toEqual(ASSISTANT_WITH_CALL);
    expect(warnings).toHaveLength(1);
  });

  it('refuses a function result with no call waiting for it', () => {
    expectRejected([USER, { role: 'function', name: 'f', content: 'x' }], 'invalid_parameter_value', 'messages[1].name');
    expectRejected(
      [USER, { role: 'assistant', function_call: { name: 'f', arguments: '' } }, { role: 'function', name: 'f', content: 'a' }, { role: 'function', name: 'f', content: 'b' }],
      'invalid_parameter_value',
      'messages[3].name',
    );
    expectRejected([USER, ASSISTANT_WITH_CALL, { role: 'function', name: 'get_weather', content: 'x' }], 'invalid_parameter_value', 'messages[2].name');
  });
});

describe('validateMessages: rejected messages', () => {
  it.each<[string, unknown, string, string]>([
    ['missing messages', undefined, 'missing_required_parameter', 'messages'],
    ['null messages', null, 'missing_required_parameter', 'messages'],
    ['empty messages', [], 'invalid_parameter_value', 'messages'],
    ['messages not an array', { role: 'user' }, 'invalid_parameter_value', 'messages'],
    ['a message that is a string', ['hi'], 'invalid_parameter_value', 'messages[0]'],
    ['a message without role', [{ content: 'x' }], 'missing_required_parameter', 'messages[0].role'],
    ['an unknown role', [{ role: 'bot', content: 'x' }], 'invalid_parameter_value', 'messages[0].role'],
    ['a user message without content', [{ role: 'user' }], 'missing_required_parameter', 'messages[0].content'],
    ['a user message with null content', [{ role: 'user', content: null }], 'invalid_parameter_value', 'messages[0].content'],
    ['a user message with a number', [{ role: 'user', content: 5 }], 'invalid_parameter_value', 'messages[0].content'],
    ['a user message with no parts', [{ role: 'user', content: [] }], 'invalid_parameter_value', 'messages[0].content'],
    ['a name that is a number', [{ role: 'user', content: 'x', name: 1 }], 'invalid_parameter_value', 'messages[0].name'],
    ['a part that is a string', [{ role: 'user', content: ['x'] }], 'invalid_parameter_value', 'messages[0].content[0]'],
    ['a part without type', [{ role: 'user', content: [{ text: 'x' }] }], 'missing_required_parameter', 'messages[0].content[0].type'],
    ['an unknown part type', [{ role: 'user', content: [{ type: 'video', video: {} }] }], 'invalid_parameter_value', 'messages[0].content[0].type'],
    ['a text part without text', [{ role: 'user', content: [{ type: 'text' }] }], 'missing_required_parameter', 'messages[0].content[0].text'],
    ['a text part with a number', [{ role: 'user', content: [{ type: 'text', text: 1 }] }], 'invalid_parameter_value', 'messages[0].content[0].text'],
    ['a refusal part from the user', [{ role: 'user', content: [{ type: 'refusal', refusal: 'no' }] }], 'invalid_parameter_value', 'messages[0].content[0].type'],
    ['an image in a system message', [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://a.b/c' } }] }, USER], 'invalid_parameter_value', 'messages[0].content[0].type'],
    ['an image in a developer message', [{ role: 'developer', content: [{ type: 'file', file: { file_id: 'f' } }] }, USER], 'invalid_parameter_value', 'messages[0].content[0].type'],
    ['an image without image_url', [{ role: 'user', content: [{ type: 'image_url' }] }], 'missing_required_parameter', 'messages[0].content[0].image_url'],
    ['an image_url string', [{ role: 'user', content: [{ type: 'image_url', image_url: 'https://a.b/c' }] }], 'invalid_parameter_value', 'messages[0].content[0].image_url'],
    ['an image without url', [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }], 'missing_required_parameter', 'messages[0].content[0].image_url.url'],
    ['an ftp image url', [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://a.b/c.png' } }] }], 'invalid_parameter_value', 'messages[0].content[0].image_url.url'],
    ['a relative image url', [{ role: 'user', content: [{ type: 'image_url', image_url: { url: '/a.png' } }] }], 'invalid_parameter_value', 'messages[0].content[0].image_url.url'],
    ['an unparsable http url', [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://' } }] }], 'invalid_parameter_value', 'messages[0].content[0].image_url.url'],
    ['a data url without data', [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png' } }] }], 'invalid_parameter_value', 'messages[0].content[0].image_url.url'],
    ['an unknown image detail', [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://a.b/c', detail: 'max' } }] }], 'invalid_parameter_value', 'messages[0].content[0].image_url.detail'],
    ['audio without data', [{ role: 'user', content: [{ type: 'input_audio', input_audio: { format: 'wav' } }] }], 'missing_required_parameter', 'messages[0].content[0].input_audio.data'],
    ['audio with a numeric format', [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 1 } }] }], 'invalid_parameter_value', 'messages[0].content[0].input_audio.format'],
    ['a file with neither data nor id', [{ role: 'user', content: [{ type: 'file', file: { filename: 'a.pdf' } }] }], 'invalid_parameter_value', 'messages[0].content[0].file'],
    ['a file with a numeric filename', [{ role: 'user', content: [{ type: 'file', file: { file_id: 'f', filename: 1 } }] }], 'invalid_parameter_value', 'messages[0].content[0].file.filename'],
    ['a file without file', [{ role: 'user', content: [{ type: 'file' }] }], 'missing_required_parameter', 'messages[0].content[0].file'],
    ['cache_control not an object', [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: 'ephemeral' }] }], 'invalid_parameter_value', 'messages[0].content[0].cache_control'],
    ['cache_control of another type', [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'forever' } }] }], 'invalid_parameter_value', 'messages[0].content[0].cache_control.type'],
    ['cache_control without type', [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: {} }] }], 'missing_required_parameter', 'messages[0].content[0].cache_control.type'],
    ['cache_control ttl number', [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: 300 } }] }], 'invalid_parameter_value', 'messages[0].content[0].cache_control.ttl'],
    ['an assistant without content', [USER, { role: 'assistant' }], 'missing_required_parameter', 'messages[1].content'],
    ['an assistant with null content', [USER, { role: 'assistant', content: null }], 'invalid_parameter_value', 'messages[1].content'],
    ['an assistant with no parts', [USER, { role: 'assistant', content: [] }], 'invalid_parameter_value', 'messages[1].content'],
    ['an assistant refusal that is a number', [USER, { role: 'assistant', content: 'x', refusal: 1 }], 'invalid_parameter_value', 'messages[1].refusal'],
    ['reasoning_content that is an object', [USER, { role: 'assistant', content: 'x', reasoning_content: {} }], 'invalid_parameter_value', 'messages[1].reasoning_content'],
    ['tool_calls not an array', [USER, { role: 'assistant', tool_calls: CALL }], 'invalid_parameter_value', 'messages[1].tool_calls'],
    ['a tool call that is a string', [USER, { role: 'assistant', tool_calls: ['x'] }], 'invalid_parameter_value', 'messages[1].tool_calls[0]'],
    ['a tool call without id', [USER, { role: 'assistant', tool_calls: [{ ...CALL, id: undefined }] }], 'missing_required_parameter', 'messages[1].tool_calls[0].id'],
    ['a tool call with an empty id', [USER, { role: 'assistant', tool_calls: [{ ...CALL, id: '' }] }], 'invalid_parameter_value', 'messages[1].tool_calls[0].id'],
    ['a tool call without type', [USER, { role: 'assistant', tool_calls: [{ id: 'a', function: CALL.function }] }], 'missing_required_parameter', 'messages[1].tool_calls[0].type'],
    ['a tool call of another type', [USER, { role: 'assistant', tool_calls: [{ ...CALL, type: 'custom' }] }], 'invalid_parameter_value', 'messages[1].tool_calls[0].type'],
    ['a tool call without function', [USER, { role: 'assistant', tool_calls: [{ id: 'a', type: 'function' }] }], 'missing_required_parameter', 'messages[1].tool_calls[0].function'],
    ['a tool call without name', [USER, { role: 'assistant', tool_calls: [{ ...CALL, function: { arguments: '' } }] }], 'missing_required_parameter', 'messages[1].tool_calls[0].function.name'],
    ['object arguments', [USER, { role: 'assistant', tool_calls: [{ ...CALL, function: { name: 'f', arguments: {} } }] }], 'invalid_parameter_value', 'messages[1].tool_calls[0].function.arguments'],
    ['a function_call without arguments', [USER, { role: 'assistant', function_call: { name: 'f' } }], 'missing_required_parameter', 'messages[1].function_call.arguments'],
    ['a function_call string', [USER, { role: 'assistant', function_call: 'f' }], 'invalid_parameter_value', 'messages[1].function_call'],
    ['a tool message without tool_call_id', [USER, ASSISTANT_WITH_CALL, { role: 'tool', content: 'x' }], 'missing_required_parameter', 'messages[2].tool_call_id'],
    ['a tool_call_id that is a number', [USER, ASSISTANT_WITH_CALL, { role: 'tool', tool_call_id: 1, content: 'x' }], 'invalid_parameter_value', 'messages[2].tool_call_id'],
    ['a tool_call_id of no call', [USER, ASSISTANT_WITH_CALL, { role: 'tool', tool_call_id: 'call_2', content: 'x' }], 'invalid_parameter_value', 'messages[2].tool_call_id'],
    ['a tool result before its call', [USER, { role: 'tool', tool_call_id: 'call_1', content: 'x' }, ASSISTANT_WITH_CALL], 'invalid_parameter_value', 'messages[1].tool_call_id'],
    ['a tool message without content', [USER, ASSISTANT_WITH_CALL, { role: 'tool', tool_call_id: 'call_1' }], 'missing_required_parameter', 'messages[2].content'],
    ['a tool message with an image', [USER, ASSISTANT_WITH_CALL, { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'image_url', image_url: { url: 'https://a.b/c' } }] }], 'invalid_parameter_value', 'messages[2].content[0].type'],
    ['a function message without name', [USER, { role: 'function', content: 'x' }], 'missing_required_parameter', 'messages[1].name'],
    ['a function message with numeric content', [USER, { role: 'assistant', function_call: { name: 'f', arguments: '' } }, { role: 'function', name: 'f', content: 3 }], 'invalid_parameter_value', 'messages[2].content'],
  ])('rejects %s', (_name, messages, code, param) => {
    expectRejected(messages, code, param);
  });

  it('writes clear messages', () => {
    expect(() => validate([USER, ASSISTANT_WITH_CALL, { role: 'tool', tool_call_id: 'call_9', content: 'x' }])).toThrow(
      "'messages[2].tool_call_id' is \"call_9\", which is not the id of any tool call in an earlier assistant message.",
    );
    expect(() => validate([{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://a.b' } }] }])).toThrow(
      "'messages[0].content[0].type' must be 'text' in a system message, got \"image_url\".",
    );
  });
});

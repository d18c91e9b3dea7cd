import { describe, expect, it } from 'vitest';
import { splitInlineReasoning } from './splitInlineReasoning.js';

describe('splitInlineReasoning', () => {
  it.each([
    ['a closed block, the separator after it dropped', '<think>abc</think>\n\nanswer', { reasoning: 'abc', text: 'answer' }],
    ['R1-style newlines inside the block kept verbatim', '<think>\nStep 1.\n</think>\n\n4', { reasoning: '\nStep 1.\n', text: '4' }],
    ['whitespace before the opening tag', ' \n\t<think>abc</think>answer', { reasoning: 'abc', text: 'answer' }],
    ['an unterminated block (cut by max_tokens): all of it is reasoning', '<think>abc </th', { reasoning: 'abc </th', text: '' }],
    ['an empty block', '<think></think>answer', { reasoning: '', text: 'answer' }],
    ['nothing after the block', '<think>abc</think>\n\n', { reasoning: 'abc', text: '' }],
    ['only the first closing tag ends the block', '<think>a</think>b</think>c', { reasoning: 'a', text: 'b</think>c' }],
    ['whitespace inside the answer kept', '<think>a</think> one\n\ntwo ', { reasoning: 'a', text: 'one\n\ntwo ' }],
  ])('splits %s', (_name, content, expected) => {
    expect(splitInlineReasoning(content)).toEqual(expected);
  });

  it.each([
    ['plain text', 'The answer is 4.'],
    ['a tag later in the content', 'Use <think>…</think> tags like this.'],
    ['a tag after other text and a newline', 'Sure.\n<think>abc</think>'],
    ['a similar tag', '<thinking>abc</thinking>answer'],
    ['a partial tag', '  <thi'],
    ['only whitespace', ' \n '],
    ['empty content', ''],
  ])('leaves %s alone', (_name, content) => {
    expect(splitInlineReasoning(content)).toBeUndefined();
  });
});

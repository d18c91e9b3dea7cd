import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './parseJsonBody.js';

describe('parseJsonBody', () => {
  it('parses an ordinary body', () => {
    expect(parseJsonBody('{"model":"m","gateway":{"routing":{"providers":["a","b"]}}}')).toEqual({ model: 'm', gateway: { routing: { providers: ['a', 'b'] } } });
  });

  it('refuses a __proto__ key, also spelled with escapes', () => {
    expect(() => parseJsonBody('{"model":"m","__proto__":{"x":1}}')).toThrow(SyntaxError);
    expect(() => parseJsonBody('{"model":"m","\\u005f_proto__":{"x":1}}')).toThrow(SyntaxError);
  });

  it('refuses constructor.prototype, and accepts the words as text', () => {
    expect(() => parseJsonBody('{"constructor":{"prototype":{"x":1}}}')).toThrow(SyntaxError);
    expect(parseJsonBody('{"content":"a constructor named __proto__, in \\u0041SCII"}')).toEqual({ content: 'a constructor named __proto__, in ASCII' });
  });

  it('skips a byte order mark, and rejects what is not JSON', () => {
    expect(parseJsonBody('\ufeff{"a":1}')).toEqual({ a: 1 });
    expect(() => parseJsonBody('{"a":')).toThrow(SyntaxError);
  });
});

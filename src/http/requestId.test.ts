import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requestIdFor } from './requestId.js';

const MINTED = /^req_[0-9a-f]{24}$/;

function requestWith(headers: IncomingMessage['headers']): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.headers = headers;
  return request;
}

describe('requestIdFor', () => {
  it.each([
    'abc',
    'req_0123456789abcdef',
    '6f1c2a7e-3b9d-4c55-9e0f-1a2b3c4d5e6f',
    'trace.id:span-1_A',
    'x'.repeat(128),
  ])('echoes the well-formed caller id %j', (id) => {
    expect(requestIdFor(requestWith({ 'x-request-id': id }))).toBe(id);
  });

  it.each([
    ['an empty id', ''],
    ['an id longer than 128 characters', 'x'.repeat(129)],
    ['spaces', 'a b'],
    ['a newline (header injection)', 'abc\r\nx-evil: 1'],
    ['a slash', 'a/b'],
    ['non-ASCII', 'ид'],
    ['two ids joined by Node', 'a, b'],
    ['quotes', '"abc"'],
  ])('mints a fresh id instead of echoing %s', (_name, id) => {
    expect(requestIdFor(requestWith({ 'x-request-id': id }))).toMatch(MINTED);
  });

  it('mints an id when the header is absent', () => {
    expect(requestIdFor(requestWith({}))).toMatch(MINTED);
  });

  it('mints a different id each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => requestIdFor(requestWith({}))));
    expect(ids.size).toBe(1000);
  });
});

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Sends an already serialised body; JSON content type unless the body is clearly not JSON (scripted raw error bodies). */
export function writeJson(response: ServerResponse, status: number, body: string, headers: OutgoingHttpHeaders): void {
  const looksLikeJson = body.startsWith('{') || body.startsWith('[');
  response.writeHead(status, {
    'content-type': looksLikeJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

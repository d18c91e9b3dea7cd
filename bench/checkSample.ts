import { request } from 'undici';
import { STREAM_CHUNKS } from './benchConstants.js';
import type { BenchTarget } from './benchTarget.js';

/**
 * Sends one request and checks the answer is a real completion: 200, a message (non-stream) or
 * STREAM_CHUNKS content chunks, a usage chunk and `[DONE]` (stream), and `routing_metadata` from the
 * gateway without warnings (a warning would mean the benchmark body takes a rewriting path).
 * Returns the problems found; empty when the sample is good.
 */
export async function checkSample(target: BenchTarget, body: string, stream: boolean): Promise<string[]> {
  const response = await request(target.url, { method: 'POST', headers: target.headers, body });
  const text = await response.body.text();
  const problems: string[] = [];
  if (response.statusCode !== 200) return [`status ${response.statusCode}: ${text.slice(0, 300)}`];
  const contentType = String(response.headers['content-type'] ?? '');
  if (stream) {
    if (!contentType.startsWith('text/event-stream')) problems.push(`content-type ${contentType}`);
    problems.push(...checkStream(target, text));
  } else {
    if (!contentType.startsWith('application/json')) problems.push(`content-type ${contentType}`);
    problems.push(...checkCompletion(target, text));
  }
  return problems;
}

function checkCompletion(target: BenchTarget, text: string): string[] {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [`body is not JSON: ${text.slice(0, 200)}`];
  }
  const problems: string[] = [];
  const choices = parsed.choices as { message?: { content?: unknown } }[] | undefined;
  const content = choices?.[0]?.message?.content;
  if (typeof content !== 'string' || content === '') problems.push('no choices[0].message.content');
  if (typeof parsed.usage !== 'object' || parsed.usage === null) problems.push('no usage');
  if (target.name === 'gateway') problems.push(...checkRoutingMetadata(parsed.routing_metadata));
  return problems;
}

function checkStream(target: BenchTarget, text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith('data: [DONE]\n\n')) problems.push(`stream does not end with [DONE]: …${JSON.stringify(text.slice(-120))}`);
  let contentChunks = 0;
  let usage = false;
  let routingMetadata: unknown;
  for (const event of text.split('\n\n')) {
    if (!event.startsWith('data: {')) continue;
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(event.slice('data: '.length)) as Record<string, unknown>;
    } catch {
      problems.push(`chunk is not JSON: ${event.slice(0, 120)}`);
      continue;
    }
    const choices = chunk.choices as { delta?: { content?: unknown } }[] | undefined;
    const content = choices?.[0]?.delta?.content;
    if (typeof content === 'string' && content !== '') contentChunks++;
    if (typeof chunk.usage === 'object' && chunk.usage !== null) usage = true;
    if (chunk.routing_metadata !== undefined) routingMetadata = chunk.routing_metadata;
  }
  if (contentChunks !== STREAM_CHUNKS) problems.push(`${contentChunks} content chunks, expected ${STREAM_CHUNKS}`);
  if (!usage) problems.push('no usage chunk');
  if (target.name === 'gateway') problems.push(...checkRoutingMetadata(routingMetadata));
  return problems;
}

function checkRoutingMetadata(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['no routing_metadata'];
  const warnings = (value as { warnings?: unknown }).warnings;
  if (Array.isArray(warnings) && warnings.length > 0) return [`routing_metadata.warnings: ${JSON.stringify(warnings)}`];
  return [];
}

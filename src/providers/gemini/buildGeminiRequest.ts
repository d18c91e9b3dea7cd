import type { ChatRequest } from '../../core/chatRequest.js';
import type { Warning } from '../../core/warning.js';
import type { UpstreamRequest, UpstreamTarget } from '../adapter.js';
import { buildGeminiGenerationConfig } from './buildGeminiGenerationConfig.js';
import { convertGeminiMessages } from './convertGeminiMessages.js';
import { convertGeminiTools } from './convertGeminiTools.js';
import { geminiModelFacts } from './geminiModels.js';
import type { GeminiRequestBody } from './geminiWire.js';
import { mapGeminiThinking } from './mapGeminiThinking.js';
import { mergeGeminiExtensions } from './mergeGeminiExtensions.js';

/** Neutral request → `POST {base_url}/v1beta/models/{model}:generateContent` (or `:streamGenerateContent?alt=sse`). */
export function buildGeminiRequest(request: ChatRequest, target: UpstreamTarget): UpstreamRequest {
  const model = target.upstreamModel;
  const facts = geminiModelFacts(model);
  const conversation = convertGeminiMessages(request.messages, facts, target.baseUrl, model);
  const warnings: Warning[] = [...conversation.warnings];
  // systemInstruction first, as Google's examples write it.
  const body: GeminiRequestBody =
    conversation.systemInstruction === undefined ? { contents: conversation.contents } : { systemInstruction: conversation.systemInstruction, contents: conversation.contents };
  const tools = convertGeminiTools(request.params, warnings);
  if (tools.tools !== undefined) body.tools = tools.tools;
  if (tools.toolConfig !== undefined) body.toolConfig = tools.toolConfig;
  const generationConfig = buildGeminiGenerationConfig(request.params, facts, model, target.providerId, warnings);
  const thinking = mapGeminiThinking(request.params.reasoning_effort, facts, target.capabilities, model);
  warnings.push(...thinking.warnings);
  if (thinking.config !== undefined) generationConfig.thinkingConfig = thinking.config;
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  mergeGeminiExtensions(body, request, target.providerId, warnings);

  const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers };
  // The header keeps the key out of URLs, and so out of access logs.
  if (target.apiKey !== undefined) headers['x-goog-api-key'] = target.apiKey;
  if (request.stream) headers.accept = 'text/event-stream';
  const method = request.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  return { url: `${target.baseUrl}/v1beta/${modelPath(model)}:${method}`, headers, body: JSON.stringify(body), warnings };
}

/** `models/{id}` for a plain id; an id that already names its collection (`tunedModels/x`) is used as is. */
function modelPath(model: string): string {
  const path = model.includes('/') ? model : `models/${model}`;
  return path.split('/').map(encodeURIComponent).join('/');
}

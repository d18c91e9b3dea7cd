import type { CacheControl, ContentPart, FilePart, ImagePart } from '../../core/chatMessage.js';
import { invalidParameter } from '../../core/gatewayError.js';
import type { Warning } from '../../core/warning.js';
import type { AnthropicBlock } from './anthropicWire.js';
import { parseDataUrl, type DataUrl } from './parseDataUrl.js';

/** What converting content needs besides the part: where warnings and beta flags go. */
export interface BlockContext {
  warnings: Warning[];
  /** `anthropic-beta` flags the request needs. */
  betas: Set<string>;
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const PDF = 'application/pdf';
const FILES_BETA = 'files-api-2025-04-14';

/**
 * One OpenAI user content part → one Anthropic block (§3.2): text, images by URL or data URL (a PDF data URL becomes
 * a document), files as documents. Undefined for an empty text part (Anthropic rejects empty text blocks).
 */
export function toAnthropicUserBlock(part: ContentPart, param: string, context: BlockContext): AnthropicBlock | undefined {
  let block: AnthropicBlock | undefined;
  switch (part.type) {
    case 'text':
      block = part.text === '' ? undefined : { type: 'text', text: part.text };
      break;
    case 'image_url':
      block = imageBlock(part, param, context);
      break;
    case 'file':
      block = fileBlock(part, param, context);
      break;
    case 'input_audio':
      throw invalidParameter(param, `'${param}': audio input is not supported by Anthropic models.`);
    case 'refusal':
      block = part.refusal === '' ? undefined : { type: 'text', text: part.refusal };
      break;
  }
  // Refusal parts carry no typed cache_control; the others do.
  const cacheControl = (part as { cache_control?: CacheControl }).cache_control;
  if (block !== undefined && cacheControl !== undefined) block.cache_control = cacheControl;
  return block;
}

function imageBlock(part: ImagePart, param: string, context: BlockContext): AnthropicBlock {
  const { url, detail } = part.image_url;
  if (detail !== undefined && detail !== 'auto' && !context.warnings.some((warning) => warning.param === 'image_url.detail')) {
    context.warnings.push({ code: 'unsupported_parameter', param: 'image_url.detail', message: "'image_url.detail' has no Anthropic equivalent and was ignored." });
  }
  const dataUrl = parseDataUrl(url);
  if (dataUrl === undefined) {
    if (!/^https?:\/\//i.test(url)) throw invalidParameter(`${param}.image_url.url`, `'${param}.image_url.url' must be an http(s) or data: URL.`);
    // Anthropic fetches PDFs by URL too, as documents.
    if (/\.pdf(?:$|[?#])/i.test(url)) return { type: 'document', source: { type: 'url', url } };
    return { type: 'image', source: { type: 'url', url } };
  }
  return base64Block(dataUrl, `${param}.image_url.url`, undefined);
}

function fileBlock(part: FilePart, param: string, context: BlockContext): AnthropicBlock {
  const { file_data: fileData, file_id: fileId, filename } = part.file;
  if (typeof fileData === 'string' && fileData !== '') {
    // A bare base64 payload has no media type: OpenAI's file inputs are PDFs.
    const dataUrl = parseDataUrl(fileData) ?? { mediaType: PDF, base64: true, data: fileData };
    return base64Block(dataUrl, `${param}.file.file_data`, filename);
  }
  if (typeof fileId === 'string' && fileId !== '') {
    // OpenAI ids look like `file-abc`; Anthropic Files API ids like `file_011C...`.
    if (!fileId.startsWith('file_')) {
      throw invalidParameter(`${param}.file.file_id`, `'${param}.file.file_id' is not an Anthropic Files API id; send the file bytes in 'file_data' instead.`);
    }
    context.betas.add(FILES_BETA);
    return withTitle({ type: 'document', source: { type: 'file', file_id: fileId } }, filename);
  }
  throw invalidParameter(`${param}.file`, `'${param}.file' needs 'file_data' or 'file_id'.`);
}

function base64Block(dataUrl: DataUrl, param: string, filename: string | undefined): AnthropicBlock {
  const { mediaType } = dataUrl;
  const base64 = dataUrl.base64 ? dataUrl.data : Buffer.from(decodeURIComponent(dataUrl.data), 'utf8').toString('base64');
  if (IMAGE_TYPES.has(mediaType)) return { type: 'image', source: { type: 'base64', media_type: mediaType, data: base64 } };
  if (mediaType === PDF) return withTitle({ type: 'document', source: { type: 'base64', media_type: PDF, data: base64 } }, filename);
  if (mediaType === 'text/plain') {
    const text = dataUrl.base64 ? Buffer.from(dataUrl.data, 'base64').toString('utf8') : decodeURIComponent(dataUrl.data);
    return withTitle({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: text } }, filename);
  }
  throw invalidParameter(param, `'${param}' has media type '${mediaType}'; Anthropic takes image/jpeg, image/png, image/gif, image/webp, application/pdf and text/plain.`);
}

function withTitle(block: AnthropicBlock, filename: string | undefined): AnthropicBlock {
  if (typeof filename === 'string' && filename !== '') block.title = filename;
  return block;
}

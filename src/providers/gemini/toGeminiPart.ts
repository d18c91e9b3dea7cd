import type { ContentPart } from '../../core/chatMessage.js';
import { invalidParameter } from '../../core/gatewayError.js';
import type { GeminiPart } from './geminiWire.js';

const DATA_URL = /^data:([^;,]+)(?:;[^;,]*)*;base64,(.*)$/s;
const YOUTUBE_URL = /^https?:\/\/(?:www\.|m\.)?(?:youtube\.com\/(?:watch\?|shorts\/|live\/)|youtu\.be\/)/;
const GOOGLE_FILES_URL = 'https://generativelanguage.googleapis.com/v1beta/files/';

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', html: 'text/html', csv: 'text/csv', json: 'application/json',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', heic: 'image/heic',
  wav: 'audio/wav', mp3: 'audio/mp3', flac: 'audio/flac', ogg: 'audio/ogg', mp4: 'video/mp4', mov: 'video/quicktime',
};

/**
 * One OpenAI content part → one Gemini part; undefined for an empty text. `baseUrl` is the provider's, so that Files
 * API URIs of the configured host (a proxy, the simulator) are recognised too. URLs are never fetched.
 */
export function toGeminiPart(part: ContentPart, param: string, baseUrl: string): GeminiPart | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { text: part.text };
    case 'refusal':
      return part.refusal === '' ? undefined : { text: part.refusal };
    case 'image_url':
      return urlPart(part.image_url.url, `${param}.image_url.url`, baseUrl);
    case 'input_audio':
      return { inlineData: { mimeType: audioMimeType(part.input_audio.format), data: part.input_audio.data } };
    case 'file':
      return filePart(part.file, `${param}.file`, baseUrl);
  }
}

function urlPart(url: string, param: string, baseUrl: string, mimeType?: string): GeminiPart {
  const data = DATA_URL.exec(url);
  if (data !== null) return { inlineData: { mimeType: data[1] as string, data: data[2] as string } };
  if (url.startsWith('data:')) throw invalidParameter(param, `'${param}' must be a base64 data URL ('data:<mime type>;base64,<data>').`);
  if (isGeminiFileUrl(url, baseUrl)) return { fileData: mimeType === undefined ? { fileUri: url } : { fileUri: url, mimeType } };
  throw invalidParameter(
    param,
    `'${param}': Gemini takes only Files API and YouTube URLs, and the gateway does not fetch URLs in this version. Send the content as a base64 data URL instead.`,
  );
}

function isGeminiFileUrl(url: string, baseUrl: string): boolean {
  return url.startsWith(GOOGLE_FILES_URL) || url.startsWith(`${baseUrl}/v1beta/files/`) || YOUTUBE_URL.test(url);
}

function filePart(file: { file_data?: string; file_id?: string; filename?: string }, param: string, baseUrl: string): GeminiPart {
  const byName = file.filename === undefined ? undefined : MIME_BY_EXTENSION[file.filename.split('.').pop()?.toLowerCase() ?? ''];
  if (file.file_data !== undefined) {
    if (file.file_data.startsWith('data:')) return urlPart(file.file_data, `${param}.file_data`, baseUrl);
    // OpenAI's chat file inputs are PDFs; a bare base64 string without a telling file name is taken as one.
    return { inlineData: { mimeType: byName ?? 'application/pdf', data: file.file_data } };
  }
  const id = file.file_id ?? '';
  // A Gemini file name (`files/abc`) is addressed as a URI under the provider's own host.
  const uri = id.startsWith('files/') ? `${baseUrl}/v1beta/${id}` : id;
  if (/^https?:\/\//.test(uri) && isGeminiFileUrl(uri, baseUrl)) return urlPart(uri, `${param}.file_id`, baseUrl, byName);
  throw invalidParameter(`${param}.file_id`, `'${param}.file_id' must be a Gemini Files API name ('files/...') or URI; other providers' file ids cannot be used with Gemini.`);
}

function audioMimeType(format: string): string {
  const lower = format.toLowerCase();
  return lower.includes('/') ? lower : `audio/${lower}`;
}

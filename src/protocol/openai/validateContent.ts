import { invalidParameter, missingParameter } from '../../core/gatewayError.js';
import { describeValue, enumRule, expectEnum, expectRecord, expectString, isRecord, requireRecord, requireString } from './valueChecks.js';

/** Which content part types a message role accepts. */
export interface ContentPolicy {
  readonly allowed: ReadonlySet<string>;
  /** "'text'" or "one of 'text', 'image_url', …", for messages. */
  readonly description: string;
}

function contentPolicy(types: readonly string[]): ContentPolicy {
  return {
    allowed: new Set(types),
    description: types.length === 1 ? `'${types[0]}'` : `one of ${types.map((t) => `'${t}'`).join(', ')}`,
  };
}

export const TEXT_CONTENT = contentPolicy(['text']);
export const USER_CONTENT = contentPolicy(['text', 'image_url', 'input_audio', 'file']);
export const ASSISTANT_CONTENT = contentPolicy(['text', 'image_url', 'input_audio', 'file', 'refusal']);

const DETAIL_RULE = enumRule(['auto', 'low', 'high']);

/**
 * Checks a message `content` that is present and not null: a string, or an array of parts the
 * role accepts. Nothing is copied: parts, with any fields we do not model, are kept as sent.
 */
export function validateContent(content: unknown, param: string, policy: ContentPolicy, role: string, allowEmptyArray = false): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) {
    const parts = policy === TEXT_CONTENT ? 'text parts' : 'content parts';
    throw invalidParameter(param, `'${param}' must be a string or an array of ${parts}, got ${describeValue(content)}.`);
  }
  if (content.length === 0 && !allowEmptyArray) throw invalidParameter(param, `'${param}' must not be an empty array.`);
  for (let j = 0; j < content.length; j++) validatePart(content[j], `${param}[${j}]`, policy, role);
}

function validatePart(part: unknown, param: string, policy: ContentPolicy, role: string): void {
  if (!isRecord(part)) throw invalidParameter(param, `'${param}' must be a content part object, got ${describeValue(part)}.`);
  const type = part.type;
  if (type === undefined) throw missingParameter(`${param}.type`);
  if (typeof type !== 'string' || !policy.allowed.has(type)) {
    const known = typeof type === 'string' && ASSISTANT_CONTENT.allowed.has(type);
    throw invalidParameter(
      `${param}.type`,
      known
        ? `'${param}.type' must be ${policy.description} in a ${role} message, got ${describeValue(type)}.`
        : `'${param}.type' must be ${policy.description}, got ${describeValue(type)}.`,
    );
  }
  switch (type) {
    case 'text':
      requireString(part.text, `${param}.text`);
      break;
    case 'refusal':
      requireString(part.refusal, `${param}.refusal`);
      break;
    case 'image_url':
      validateImageUrl(part.image_url, `${param}.image_url`);
      break;
    case 'input_audio': {
      const audio = requireRecord(part.input_audio, `${param}.input_audio`);
      requireString(audio.data, `${param}.input_audio.data`);
      requireString(audio.format, `${param}.input_audio.format`);
      break;
    }
    case 'file': {
      const file = requireRecord(part.file, `${param}.file`);
      if (file.file_data !== undefined) expectString(file.file_data, `${param}.file.file_data`);
      if (file.file_id !== undefined) expectString(file.file_id, `${param}.file.file_id`);
      if (file.filename !== undefined) expectString(file.filename, `${param}.file.filename`);
      if (file.file_data === undefined && file.file_id === undefined) {
        throw invalidParameter(`${param}.file`, `'${param}.file' must have 'file_data' or 'file_id'.`);
      }
      break;
    }
  }
  if (part.cache_control !== undefined) validateCacheControl(part.cache_control, `${param}.cache_control`);
}

function validateImageUrl(value: unknown, param: string): void {
  const image = requireRecord(value, param);
  const url = requireString(image.url, `${param}.url`);
  if (!isImageUrl(url)) {
    throw invalidParameter(`${param}.url`, `'${param}.url' must be an http(s) URL or a data: URL, got ${describeValue(url)}.`);
  }
  if (image.detail !== undefined) expectEnum(image.detail, `${param}.detail`, DETAIL_RULE);
}

/** http(s) URLs are parsed; `data:` URLs (possibly megabytes) are only checked for their shape. */
function isImageUrl(url: string): boolean {
  const scheme = url.slice(0, 8).toLowerCase();
  if (scheme.startsWith('data:')) return url.indexOf(',', 5) > 5;
  if (scheme.startsWith('https://') || scheme.startsWith('http://')) return URL.canParse(url);
  return false;
}

/** `{type: "ephemeral", ttl?: string}`; other keys are kept. */
export function validateCacheControl(value: unknown, param: string): void {
  const cacheControl = expectRecord(value, param);
  if (cacheControl.type !== 'ephemeral') {
    if (cacheControl.type === undefined) throw missingParameter(`${param}.type`);
    throw invalidParameter(`${param}.type`, `'${param}.type' must be 'ephemeral', got ${describeValue(cacheControl.type)}.`);
  }
  if (cacheControl.ttl !== undefined) expectString(cacheControl.ttl, `${param}.ttl`);
}

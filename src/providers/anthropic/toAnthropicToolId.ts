const VALID_ID = /^[a-zA-Z0-9_-]+$/;

/**
 * Anthropic tool ids must match `^[a-zA-Z0-9_-]+$`. Ids minted by other providers (`functions.search:3`, base64 with
 * `+/=`) are rewritten deterministically, so a `tool_use` and its `tool_result` still pair up; a short hash of the
 * original keeps two ids that differ only in replaced characters apart.
 */
export function toAnthropicToolId(id: string): string {
  if (VALID_ID.test(id)) return id;
  return `${id.replace(/[^a-zA-Z0-9_-]/g, '_')}_${fnv1a(id)}`;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

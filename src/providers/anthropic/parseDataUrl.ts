export interface DataUrl {
  /** Lowercased, `text/plain` when the URL names none (RFC 2397). */
  mediaType: string;
  base64: boolean;
  /** The payload after the comma, still encoded. */
  data: string;
}

/** Splits a `data:` URL into media type, encoding and payload; undefined for anything else. */
export function parseDataUrl(url: string): DataUrl | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const meta = url.slice('data:'.length, comma).split(';');
  const mediaType = (meta[0] ?? '').trim().toLowerCase();
  return { mediaType: mediaType === '' ? 'text/plain' : mediaType, base64: meta.slice(1).some((item) => item.trim().toLowerCase() === 'base64'), data: url.slice(comma + 1) };
}

/** Text and reasoning of a content array of typed chunks (Magistral: `text` chunks and `thinking` chunks). */
export interface ContentChunks {
  /** Joined `text` chunks; null when there were none. */
  text: string | null;
  /** Joined `thinking` text; undefined when there was none. */
  reasoning: string | undefined;
}

export function readContentChunks(chunks: readonly unknown[]): ContentChunks {
  let text: string | null = null;
  let reasoning: string | undefined;
  for (const raw of chunks) {
    if (raw === null || typeof raw !== 'object') continue;
    const chunk = raw as Record<string, unknown>;
    if (chunk.type === 'text' && typeof chunk.text === 'string') text = (text ?? '') + chunk.text;
    else if (chunk.type === 'thinking') {
      const thought = thinkingText(chunk.thinking);
      if (thought !== '') reasoning = (reasoning ?? '') + thought;
    }
  }
  return { text, reasoning };
}

/** A thinking chunk holds either a string or a list of text chunks. */
function thinkingText(thinking: unknown): string {
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) return '';
  let text = '';
  for (const part of thinking as unknown[]) {
    if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') text += (part as { text: string }).text;
  }
  return text;
}

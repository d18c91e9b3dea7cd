/** Server-side code execution parts (enabled through extensions) as Markdown text, so the answer reads whole; '' for other parts. */
export function renderGeminiCode(part: Record<string, unknown>): string {
  const code = part.executableCode;
  if (code !== null && typeof code === 'object') {
    const { language, code: source } = code as Record<string, unknown>;
    if (typeof source === 'string') return `\n\`\`\`${typeof language === 'string' ? language.toLowerCase() : ''}\n${source}\n\`\`\`\n`;
  }
  const result = part.codeExecutionResult;
  if (result !== null && typeof result === 'object') {
    const output = (result as Record<string, unknown>).output;
    if (typeof output === 'string') return `\n\`\`\`\n${output}\n\`\`\`\n`;
  }
  return '';
}

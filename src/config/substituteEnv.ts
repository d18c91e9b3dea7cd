const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${NAME}` and `${NAME:-default}` in every string of a parsed YAML tree; an unset variable becomes "". */
export function substituteEnv(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') {
    return value.includes('${') ? value.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => env[name] || (fallback ?? '')) : value;
  }
  if (Array.isArray(value)) return value.map((item) => substituteEnv(item, env));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = substituteEnv(item, env);
    return result;
  }
  return value;
}

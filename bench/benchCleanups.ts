/** External state the benchmark made (a Postgres schema, Redis keys) and must remove even when interrupted. */
const pending = new Set<() => Promise<void>>();

/** Registers a cleanup for `runPendingCleanups`; call the returned function once it has run the normal way. */
export function registerCleanup(cleanup: () => Promise<void>): () => void {
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

/** Runs every cleanup still registered (after an interrupt), each once, failures ignored. */
export async function runPendingCleanups(): Promise<void> {
  const cleanups = [...pending];
  pending.clear();
  await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
}

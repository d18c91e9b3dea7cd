import type { ChildReadyMessage } from './childMessages.js';
import { serveParentRequests } from './serveParentRequests.js';

const FORCED_EXIT_MS = 3000;

/**
 * Child side of the benchmark's process protocol: reports the listening origin to the parent, and exits
 * cleanly (so that `--cpu-prof` writes its profile) on SIGTERM, SIGINT (Ctrl-C reaches the whole process
 * group) or when the parent goes away (the IPC channel closes). Also answers the parent's CPU-time and profiling requests.
 */
export function announceReady(url: string, close: () => Promise<void>): void {
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(0), FORCED_EXIT_MS).unref();
    close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('disconnect', shutdown);
  const message: ChildReadyMessage = { type: 'ready', url };
  if (process.send === undefined) {
    // Started by hand (not forked): print the origin instead.
    process.stderr.write(`listening on ${url}\n`);
    return;
  }
  serveParentRequests();
  process.send(message);
}

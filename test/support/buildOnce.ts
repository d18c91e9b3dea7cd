import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: compile once, so tests that spawn the real `switchyard` process run the current code.
 * tsc still writes its output when there are type errors; those are reported by `npm run typecheck`, so here
 * they are only printed and do not stop the test run.
 */
export default function buildOnce(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString('utf8') ?? String(error);
    process.stderr.write(`tsc -p tsconfig.build.json reported errors (dist/ was still written):\n${output}\n`);
  }
}

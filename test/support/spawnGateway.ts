import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export interface SpawnedGateway {
  baseUrl: string;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const MAIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));

/** Runs the built gateway (`switchyard serve`) as its own process with a config object, on a free port. */
export async function spawnGateway(config: Record<string, unknown>, env: Record<string, string> = {}): Promise<SpawnedGateway> {
  const file = join(tmpdir(), `switchyard-test-${process.pid}-${Math.random().toString(36).slice(2)}.yaml`);
  // An in-memory store unless the test names one: the default file (./data/switchyard.db) would be shared by parallel tests.
  writeFileSync(file, stringify({ store: 'sqlite::memory:', ...config }));
  const child = spawn(process.execPath, [MAIN, 'serve', '--config', file, '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 15_000);
    const check = () => {
      const match = /"address":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${output}`));
    });
  });
  return {
    baseUrl,
    process: child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

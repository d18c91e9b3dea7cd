import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config/packageRoot.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulatorServer.js';
import { bearer, http } from './support/http.js';

const ROOT = packageRoot();
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const KEY = 'ak_test_' + 'CliTest0'.repeat(5);
const run = promisify(execFile);

/** The environment for child processes: no config from the caller's shell. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (extra.SWITCHYARD_CONFIG === undefined) delete env.SWITCHYARD_CONFIG;
  return env;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCli(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { env: childEnv(env), timeout: 15_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

class Server {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.stdout += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Resolves with the first match of `pattern` in stdout, waiting for more output as needed. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.stdout);
      if (match !== null) return match;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no ${pattern} in output (exit ${this.child.exitCode})\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The address from the "switchyard listening" log line. */
  async address(): Promise<string> {
    const line = await this.waitFor(/^.*"msg":"switchyard listening".*$/m);
    return (JSON.parse(line[0]) as { address: string }).address;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }
}

const servers: Server[] = [];
function serve(args: string[], env: Record<string, string> = {}): Server {
  const server = new Server(spawn(process.execPath, [MAIN, 'serve', ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
  servers.push(server);
  return server;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('the switchyard command (built dist/)', () => {
  let dir: string;
  let simulator: Simulator;
  let validFile: string;

  // dist/ is built once for the whole run by test/support/buildOnce.ts (vitest globalSetup).
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
    simulator = await startSimulator({ profiles: [{ id: 'cli' }] });
    validFile = join(dir, 'valid.yaml');
    writeFileSync(
      validFile,
      [
        'listen: { host: 127.0.0.1, port: 1 }',
        'catalog: none',
        'logging: { level: info }',
        'keys:',
        `  - { name: cli, key: "\${CLI_TEST_KEY:-${KEY}}" }`,
        'providers:',
        `  - { id: sim, type: openai, base_url: "${simulator.profileUrl('cli')}" }`,
        '  - { id: gone, type: openai, base_url: "https://example.invalid/v1", api_key: "${SWITCHYARD_TEST_UNSET_KEY}" }',
        'models:',
        '  - id: cli-model',
        '    offers:',
        '      - { provider: sim, upstream_model: sim-cli, price: { input: 1, output: 2 } }',
        '      - { provider: gone, upstream_model: gone-model, price: { input: 0.1, output: 0.1 } }',
      ].join('\n'),
    );
  }, 180_000);

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop('SIGKILL')));
  });

  afterAll(async () => {
    await simulator?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  describe('check-config', () => {
    it('reports a valid file with exit code 0, naming disabled providers', async () => {
      const result = await runCli(['check-config', validFile]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`${validFile}: OK`);
      expect(result.stdout).toContain('providers: 2 (1 enabled)');
      expect(result.stdout).toMatch(/gone disabled: .*api_key/);
      expect(result.stdout).toContain('callable models: 1');
      expect(result.stdout).toContain('API keys: 1');
    });

    it('reads the file from SWITCHYARD_CONFIG when no argument is given', async () => {
      const result = await runCli(['check-config'], { SWITCHYARD_CONFIG: validFile });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`${validFile}: OK`);
    });

    it('exits 1 for an invalid file, naming each bad path on stderr', async () => {
      const file = join(dir, 'invalid.yaml');
      writeFileSync(
        file,
        [
          'listen: { port: 99999 }',
          'providers:',
          '  - { id: a, type: openai, base_url: "https://x.test/v1", bogus: true }',
          'models:',
          '  - { id: m, offers: [ { provider: a, upstream_model: u, price: { input: 1, output: 1, foo: 2 } } ] }',
        ].join('\n'),
      );
      const result = await runCli(['check-config', file]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`${file} is invalid`);
      expect(result.stderr).toContain('listen.port');
      expect(result.stderr).toContain('providers[0].bogus: unknown key');
      expect(result.stderr).toContain('models[0].offers[0].price.foo: unknown key');
      expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    });

    it('exits 1 for a missing file and for a cross-reference error', async () => {
      const missing = await runCli(['check-config', join(dir, 'nope.yaml')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('cannot read config file');
      const file = join(dir, 'dup.yaml');
      writeFileSync(file, 'providers:\n  - { id: a, type: openai, base_url: "https://x.test/v1" }\n  - { id: a, type: vllm, base_url: "https://y.test/v1" }\n');
      const duplicate = await runCli(['check-config', file]);
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toContain("providers[1].id: duplicate provider id 'a'");
    });

    it('exits 2 without a file, and for an unknown command', async () => {
      const noFile = await runCli(['check-config']);
      expect(noFile.code).toBe(2);
      expect(noFile.stderr).toContain('Usage: switchyard check-config FILE');
      const unknown = await runCli(['frobnicate']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("Unknown command 'frobnicate'");
    });
  });

  describe('serve', () => {
    it('runs demo mode without a config: prints a key and a curl line that work, and exits 0 on SIGTERM', async () => {
      const server = serve(['--port', '0']);
      const address = await server.address();
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(address).not.toMatch(/:0$/);
      const [, key] = await server.waitFor(/Demo API key: (ak_test_[A-Za-z0-9]{32,})/);
      const [, url, curlKey, body] = await server.waitFor(/curl -s (\S+) -H "Authorization: Bearer (\S+)" -H "Content-Type: application\/json" -d '([^']+)'/);
      expect(url).toBe(`${address}/v1/chat/completions`);
      expect(curlKey).toBe(key);

      const result = await http(address, 'POST', '/v1/chat/completions', {
        rawBody: body,
        headers: { ...bearer(key as string), 'content-type': 'application/json' },
      });
      expect(result.status, result.text).toBe(200);
      const completion = result.json as { choices: { message: { content: string } }[]; routing_metadata: { provider: string; model_canonical: string } };
      expect(['sim-swift', 'sim-steady', 'sim-thrifty']).toContain(completion.routing_metadata.provider);
      expect(completion.routing_metadata.model_canonical).toBe('demo-chat');
      expect(completion.choices[0]?.message.content).toContain('simulated reply');

      expect(await server.stop('SIGTERM')).toBe(0);
      expect(server.stdout).toContain('"msg":"shutting down"');
    });

    it('also exits 0 on SIGINT', async () => {
      const server = serve(['--port', '0']);
      await server.address();
      expect(await server.stop('SIGINT')).toBe(0);
    });

    it('serves a config file given with --config, on the --port given (over listen.port)', async () => {
      const port = await freePort();
      const server = serve(['--config', validFile, '--port', String(port)]);
      const address = await server.address();
      expect(address).toBe(`http://127.0.0.1:${port}`);
      expect(server.stdout).not.toContain('demo mode');
      expect(server.stdout).toMatch(/"msg":"provider disabled"/);

      const result = await http(address, 'POST', '/v1/chat/completions', {
        body: { model: 'cli-model', messages: [{ role: 'user', content: 'hi' }] },
        headers: bearer(KEY),
      });
      expect(result.status, result.text).toBe(200);
      expect((result.json as { routing_metadata: { provider: string } }).routing_metadata.provider).toBe('sim');
      expect(server.stdout).not.toContain(KEY);
      expect(await server.stop()).toBe(0);
    });

    it('takes the config from SWITCHYARD_CONFIG and the short flags -c/-p', async () => {
      const viaEnv = serve(['--port', '0'], { SWITCHYARD_CONFIG: validFile });
      const address = await viaEnv.address();
      expect(viaEnv.stdout).not.toContain('demo mode');
      expect((await http(address, 'GET', '/v1/models', { headers: bearer(KEY) })).status).toBe(200);
      await viaEnv.stop();

      const short = serve(['-c', validFile, '-p', '0']);
      expect(await short.address()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await short.stop();
    });

    it('exits 1 with a message for a bad --port or a missing --config file', async () => {
      const badPort = await runCli(['serve', '--port', 'eighty']);
      expect(badPort.code).toBe(1);
      expect(badPort.stderr).toContain("--port must be an integer 0..65535, got 'eighty'");
      const tooBig = await runCli(['serve', '--port', '70000']);
      expect(tooBig.code).toBe(1);
      const missing = await runCli(['serve', '--config', join(dir, 'missing.yaml')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('cannot read config file');
    });

    it('exits 1 (instead of hanging) when the port is taken, in demo mode and with a config', async () => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const address = blocker.address();
      const port = address !== null && typeof address === 'object' ? address.port : 0;
      try {
        for (const args of [['serve', '--port', String(port)], ['serve', '--config', validFile, '--port', String(port)]]) {
          const result = await runCli(args);
          expect(result.code, args.join(' ')).toBe(1);
          expect(result.stderr).toContain('EADDRINUSE');
        }
      } finally {
        await new Promise<void>((resolve) => blocker.close(() => resolve()));
      }
    });

    it('exits non-zero for an unknown flag', async () => {
      const result = await runCli(['serve', '--bogus']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('--bogus');
    });
  });
});

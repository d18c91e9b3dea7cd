import { parseArgs } from 'node:util';
import { generateApiKey } from './auth/apiKeyFormat.js';
import { ConfigError } from './config/configError.js';
import { parseConfig } from './config/parseConfig.js';
import { loadConfig } from './config/loadConfig.js';
import type { Config } from './config/configSchema.js';
import { createGateway, type Gateway } from './createGateway.js';
import { createLogger } from './observability/createLogger.js';
import { demoConfig } from './demo/demoConfig.js';
import { DEMO_PROFILES } from './simulator/demoProfiles.js';
import { KEYS_USAGE, runKeysCommand } from './keysCommand.js';
import { runSimulatorCli } from './simulator/simulatorCli.js';
import { startSimulator, type Simulator } from './simulator/simulatorServer.js';

const USAGE = `Usage: switchyard <command> [options]

Commands:
  serve [--config FILE] [--port N] [--host H]   run the gateway (no config: demo mode with simulated providers)
  check-config FILE                             validate a config file and print what it configures
  simulate [--port N] [--host H] [--profile id[:apiKey]]...   run the provider simulator on its own
${KEYS_USAGE}
  help                                          show this text

The config file may also be given as SWITCHYARD_CONFIG.`;

/** Runs one command; returns the process exit code (serve and simulate keep running until a signal). */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'check-config':
        return checkConfig(rest);
      case 'simulate':
        await runSimulatorCli(rest);
        return 0;
      case 'keys':
        return await runKeysCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 1 : 0;
      default:
        process.stderr.write(`Unknown command '${command}'.\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`switchyard: ${error.message}\n`);
      return 1;
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      process.stderr.write(`switchyard: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', short: 'c' }, port: { type: 'string', short: 'p' }, host: { type: 'string' } },
    strict: true,
  });
  // Checked before anything listens: a bad flag must not leave the demo simulator keeping the process alive.
  const portFlag = values.port === undefined ? undefined : parsePort(values.port);
  const configFile = values.config ?? process.env.SWITCHYARD_CONFIG;
  let simulator: Simulator | undefined;
  let config: Config;
  let demoKey: string | undefined;
  if (configFile !== undefined && configFile !== '') {
    config = loadConfig(configFile);
  } else {
    simulator = await startSimulator({ profiles: [...DEMO_PROFILES], record: false });
    demoKey = generateApiKey('test');
    const sim = simulator;
    config = parseConfig(
      demoConfig({
        providers: DEMO_PROFILES.map((profile) => ({ id: profile.id, baseUrl: sim.profileUrl(profile.id) })),
        apiKey: demoKey,
        host: '127.0.0.1',
        port: 8080,
      }),
      process.env,
      'demo config',
    );
  }
  const port = portFlag ?? config.listen.port;
  const host = values.host ?? config.listen.host;
  let gateway: Gateway;
  let address: string;
  try {
    gateway = createGateway(config);
    await gateway.start();
    address = await gateway.app.listen({ port, host });
  } catch (error) {
    // Without this an open demo simulator keeps the process running after e.g. EADDRINUSE.
    await simulator?.close();
    throw error;
  }
  gateway.logger.info({ address, providers: [...gateway.providers.keys()], models: gateway.catalog.callable().length }, 'switchyard listening');

  if (demoKey !== undefined) {
    const base = address.replace('0.0.0.0', '127.0.0.1');
    process.stdout.write(
      [
        '',
        'Switchyard is running in demo mode: no config file was given, so three simulated providers',
        '(sim-swift, sim-steady, sim-thrifty) serve the models demo-chat and demo-reasoner.',
        '',
        `  Demo API key: ${demoKey}`,
        '',
        'Try it:',
        `  curl -s ${base}/v1/chat/completions -H "Authorization: Bearer ${demoKey}" -H "Content-Type: application/json" -d '{"model":"demo-chat","messages":[{"role":"user","content":"Hello!"}]}'`,
        '',
        'Run with --config FILE (see config.example.yaml) to use real providers.',
        '',
      ].join('\n'),
    );
  }

  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second signal: the operator does not want to wait for in-flight requests any longer.
        process.stderr.write(`switchyard: ${signal} again, exiting without waiting (unwritten usage records are lost)\n`);
        process.exit(1);
      }
      stopping = true;
      // No new requests; in-flight ones (streams too) finish, then the usage ledger is written.
      gateway.logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  // Stops accepting, waits for in-flight requests and streams, then flushes the ledger and closes the store.
  await gateway.close();
  await simulator?.close();
  return 0;
}

function checkConfig(args: string[]): number {
  const file = args[0] ?? process.env.SWITCHYARD_CONFIG;
  if (file === undefined) {
    process.stderr.write('Usage: switchyard check-config FILE\n');
    return 2;
  }
  const config = loadConfig(file);
  const gateway = createGateway(config, { logger: createLogger('silent') });
  const providers = [...gateway.providers.values()];
  const enabled = providers.filter((provider) => provider.enabled);
  const lines = [
    `${file}: OK`,
    `  providers: ${providers.length} (${enabled.length} enabled)`,
    ...providers.filter((provider) => !provider.enabled).map((provider) => `    ${provider.id} disabled: ${provider.disabledReason ?? ''}`),
    `  callable models: ${gateway.catalog.callable().length}`,
    `  API keys: ${gateway.keys.size}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  void gateway.close();
  return 0;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be an integer 0..65535, got '${value}'`);
  return port;
}

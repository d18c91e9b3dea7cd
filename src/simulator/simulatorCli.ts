import { DEMO_PROFILES } from './demoProfiles.js';
import type { SimulatorProfile } from './simulatorOptions.js';
import { DEFAULT_PROFILE_ID, startSimulator } from './simulatorServer.js';

export const SIMULATOR_CLI_USAGE = `Usage: switchyard simulate [--port N] [--host H] [--profile id[:apiKey]]... [--demo]

Runs the provider simulator (OpenAI chat completions under /v1, Anthropic Messages at /v1/messages) until Ctrl+C.
  --port N                 port to listen on (default 0: any free port)
  --host H                 interface to bind (default 127.0.0.1)
  --profile id[:apiKey]    serve a profile under /p/<id>, optionally requiring its key (Bearer or x-api-key; repeatable)
  --demo                   also serve the demo profiles (${DEMO_PROFILES.map((profile) => profile.id).join(', ')})
Behaviour per request: model suffix (sim-chat@ttft=200,tps=50,tokens=30) or an x-sim-behaviour JSON header.`;

export interface SimulatorCliArguments {
  port: number;
  host: string;
  profiles: SimulatorProfile[];
  help: boolean;
}

/** Parses the CLI flags; throws an Error with a readable message on bad input. */
export function parseSimulatorCliArguments(argv: string[]): SimulatorCliArguments {
  const parsed: SimulatorCliArguments = { port: 0, host: '127.0.0.1', profiles: [], help: false };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const flag = equals < 0 ? argument : argument.slice(0, equals);
    const value = (): string => {
      const inline = equals < 0 ? undefined : argument.slice(equals + 1);
      const next = inline ?? argv[++index];
      if (next === undefined || next === '') throw new Error(`${flag} needs a value.\n\n${SIMULATOR_CLI_USAGE}`);
      return next;
    };
    switch (flag) {
      case '--port': {
        const text = value();
        const port = Number(text);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got '${text}'.`);
        parsed.port = port;
        break;
      }
      case '--host':
        parsed.host = value();
        break;
      case '--profile': {
        const text = value();
        const colon = text.indexOf(':');
        const id = colon < 0 ? text : text.slice(0, colon);
        const apiKey = colon < 0 ? undefined : text.slice(colon + 1);
        parsed.profiles.push(apiKey === undefined || apiKey === '' ? { id } : { id, apiKey });
        break;
      }
      case '--demo':
        parsed.profiles.push(...DEMO_PROFILES);
        break;
      case '--help':
      case '-h':
        parsed.help = true;
        break;
      default:
        throw new Error(`Unknown option '${argument}'.\n\n${SIMULATOR_CLI_USAGE}`);
    }
  }
  return parsed;
}

/** `switchyard simulate`: starts the simulator, prints its URLs, and runs until SIGINT or SIGTERM. */
export async function runSimulatorCli(argv: string[]): Promise<void> {
  const parsed = parseSimulatorCliArguments(argv);
  if (parsed.help) {
    console.log(SIMULATOR_CLI_USAGE);
    return;
  }
  const simulator = await startSimulator({ port: parsed.port, host: parsed.host, profiles: parsed.profiles, record: false });
  const width = Math.max(DEFAULT_PROFILE_ID.length, ...parsed.profiles.map((profile) => profile.id.length));
  const lines = [`Switchyard provider simulator listening on ${simulator.url}`, `  ${DEFAULT_PROFILE_ID.padEnd(width)}  ${simulator.profileUrl(DEFAULT_PROFILE_ID)}`];
  for (const profile of parsed.profiles) {
    if (profile.id === DEFAULT_PROFILE_ID) continue;
    lines.push(`  ${profile.id.padEnd(width)}  ${simulator.profileUrl(profile.id)}${profile.apiKey === undefined ? '' : '  (API key required)'}`);
  }
  lines.push('Press Ctrl+C to stop.');
  console.log(lines.join('\n'));
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await simulator.close();
  console.log('Simulator stopped.');
}

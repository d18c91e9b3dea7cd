import { afterEach, describe, expect, it, vi } from 'vitest';
import { request } from 'undici';
import { DEMO_PROFILES } from './demoProfiles.js';
import { parseSimulatorCliArguments, runSimulatorCli } from './simulatorCli.js';
import { startSimulator } from './simulatorServer.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('simulator CLI', () => {
  it('parses port, host and repeatable profiles with optional keys', () => {
    expect(parseSimulatorCliArguments(['--port', '4010', '--host=0.0.0.0', '--profile', 'fast', '--profile', 'paid:sk-a:b'])).toEqual({
      port: 4010,
      host: '0.0.0.0',
      profiles: [{ id: 'fast' }, { id: 'paid', apiKey: 'sk-a:b' }],
      help: false,
    });
    expect(parseSimulatorCliArguments(['--demo']).profiles.map((profile) => profile.id)).toEqual(['swift', 'thrifty', 'steady']);
    expect(() => parseSimulatorCliArguments(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseSimulatorCliArguments(['--profile'])).toThrow(/needs a value/);
    expect(() => parseSimulatorCliArguments(['--wat'])).toThrow(/Unknown option/);
  });

  it('prints the URLs, serves requests and stops on SIGTERM', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
      lines.push(parts.join(' '));
    });
    const running = runSimulatorCli(['--port', '0', '--profile', 'fast', '--profile', 'locked:sk-123']);
    await vi.waitFor(() => expect(lines.join('\n')).toContain('Press Ctrl+C'));
    const output = lines.join('\n');
    const fastUrl = /fast\s+(http:\/\/127\.0\.0\.1:\d+\/p\/fast\/v1)/.exec(output)?.[1];
    expect(fastUrl).toBeDefined();
    expect(output).toMatch(/locked\s+http:\/\/127\.0\.0\.1:\d+\/p\/locked\/v1 {2}\(API key required\)/);
    const response = await request(`${fastUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    process.emit('SIGTERM');
    await running;
    expect(lines.at(-1)).toBe('Simulator stopped.');
    await expect(request(`${fastUrl}/models`)).rejects.toThrow();
  });
});

describe('demo profiles', () => {
  it('are swift, thrifty and steady with the agreed speeds, no keys, and a 40-token friendly reply', async () => {
    expect(DEMO_PROFILES.map((profile) => [profile.id, profile.defaults?.ttftMs, profile.defaults?.tokensPerSecond])).toEqual([
      ['swift', 120, 180],
      ['thrifty', 700, 35],
      ['steady', 300, 90],
    ]);
    expect(DEMO_PROFILES.every((profile) => profile.apiKey === undefined)).toBe(true);
    // Serve them without latency to check the reply quickly.
    const simulator = await startSimulator({ profiles: DEMO_PROFILES.map((profile) => ({ ...profile, defaults: { ...profile.defaults, ttftMs: 0, tokensPerSecond: 0 } })) });
    try {
      for (const profile of DEMO_PROFILES) {
        const response = await request(`${simulator.profileUrl(profile.id)}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] }) });
        const body = (await response.body.json()) as { choices: { message: { content: string } }[]; usage: { completion_tokens: number } };
        expect(body.choices[0]!.message.content).toContain(`simulated reply from the ${profile.id} demo profile`);
        expect(body.usage.completion_tokens).toBe(40);
      }
    } finally {
      await simulator.close();
    }
  });
});

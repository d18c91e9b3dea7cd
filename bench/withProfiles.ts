import { join } from 'node:path';
import type { BenchContext } from './benchContext.js';
import type { TargetName } from './benchTarget.js';
import { summarizeCpuProfile, type ProfileSummary } from './summarizeCpuProfile.js';

const SAMPLING_INTERVAL_MICROS = 200;

/**
 * Runs `timed` with V8's CPU profiler on in both target processes when `--profile DIR` was given
 * (profiles cover the timed runs only), and summarises the two profiles.
 */
export async function withProfiles<T>(
  context: BenchContext,
  scenarioId: string,
  timed: () => Promise<T>,
): Promise<{ value: T; profiles: Partial<Record<TargetName, ProfileSummary>> }> {
  const directory = context.options.profileDir;
  if (directory === undefined) return { value: await timed(), profiles: {} };
  const processes = Object.entries(context.processes) as [TargetName, (typeof context.processes)[TargetName]][];
  for (const [, child] of processes) await child.call({ type: 'profile-start', intervalMicros: SAMPLING_INTERVAL_MICROS });
  const value = await timed();
  const profiles: Partial<Record<TargetName, ProfileSummary>> = {};
  for (const [name, child] of processes) {
    const file = join(directory, `${name}-${scenarioId}.cpuprofile`);
    await child.call({ type: 'profile-stop', file });
    profiles[name] = summarizeCpuProfile(file);
  }
  return { value, profiles };
}

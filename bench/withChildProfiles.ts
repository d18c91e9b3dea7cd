import { join } from 'node:path';
import type { ChildHandle } from './startChildProcess.js';
import { summarizeCpuProfile, type ProfileSummary } from './summarizeCpuProfile.js';

const SAMPLING_INTERVAL_MICROS = 200;

/**
 * Runs `timed` with V8's CPU profiler on in the given processes when `directory` is set (profiles cover the timed
 * runs only), writes `<name>-<fileStem>.cpuprofile` for each and summarises them, keyed by name.
 */
export async function withChildProfiles<T, Name extends string>(
  directory: string | undefined,
  children: Readonly<Record<Name, ChildHandle>>,
  fileStem: string,
  timed: () => Promise<T>,
): Promise<{ value: T; profiles: Partial<Record<Name, ProfileSummary>> }> {
  if (directory === undefined) return { value: await timed(), profiles: {} };
  const entries = Object.entries(children) as [Name, ChildHandle][];
  for (const [, child] of entries) await child.call({ type: 'profile-start', intervalMicros: SAMPLING_INTERVAL_MICROS });
  const value = await timed();
  const profiles: Partial<Record<Name, ProfileSummary>> = {};
  for (const [name, child] of entries) {
    const file = join(directory, `${name}-${fileStem}.cpuprofile`);
    await child.call({ type: 'profile-stop', file });
    profiles[name] = summarizeCpuProfile(file);
  }
  return { value, profiles };
}

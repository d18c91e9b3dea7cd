import type { BenchContext } from './benchContext.js';
import type { TargetName } from './benchTarget.js';
import type { ProfileSummary } from './summarizeCpuProfile.js';
import { withChildProfiles } from './withChildProfiles.js';

/**
 * Runs `timed` with V8's CPU profiler on in both target processes when `--profile DIR` was given
 * (profiles cover the timed runs only), and summarises the two profiles.
 */
export function withProfiles<T>(
  context: BenchContext,
  scenarioId: string,
  timed: () => Promise<T>,
): Promise<{ value: T; profiles: Partial<Record<TargetName, ProfileSummary>> }> {
  return withChildProfiles(context.options.profileDir, context.processes, scenarioId, timed);
}

import type { ProfileSummary } from './summarizeCpuProfile.js';

const FRAMES_SHOWN = 18;
const AREAS_SHOWN = 14;

/**
 * A profile summary as indented text lines. `requests` (served by this process while profiled) turns the
 * non-idle time into µs per request (wall time: on a busy box it includes time the thread was preempted).
 */
export function formatProfileSummary(title: string, summary: ProfileSummary, requests: number | undefined): string {
  const perRequest = requests === undefined || requests === 0 ? '' : `, ${Math.round((1000 * summary.busyMs) / requests)} µs per request (${requests} requests)`;
  const lines = [
    `${title}: main thread not idle for ${(summary.busyMs / 1000).toFixed(2)} s${perRequest}`,
    `  ${summary.file} (window ${(summary.totalMs / 1000).toFixed(2)} s, includes the other target's runs as idle)`,
    '  self time by area (% of busy):',
    ...summary.areas.slice(0, AREAS_SHOWN).map((area) => `    ${pct(area.percent).padStart(6)}  ${area.area}`),
    '  top self-time frames:',
    ...summary.topSelf.slice(0, FRAMES_SHOWN).map((frame) => `    ${pct(frame.percent).padStart(6)}  ${frame.frame}  [${frame.area}]`),
  ];
  if (summary.topInclusiveOwn.length > 0) {
    lines.push('  project functions by inclusive time:');
    lines.push(...summary.topInclusiveOwn.slice(0, FRAMES_SHOWN).map((frame) => `    ${pct(frame.percent).padStart(6)}  ${frame.frame}`));
  }
  return lines.join('\n');
}

function pct(value: number): string {
  return `${value.toFixed(1)}%`;
}

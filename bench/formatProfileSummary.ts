import type { ProfileSummary } from './summarizeCpuProfile.js';

const FRAMES_SHOWN = 18;
const AREAS_SHOWN = 16;

/**
 * A profile summary as indented text lines. With `requests` (served by this process while profiled) every
 * figure is also given in µs per request, which compares directly between gateway and baseline. These are
 * sampled wall times of a non-idle main thread: on a busy box they include time the thread was preempted.
 */
export function formatProfileSummary(title: string, summary: ProfileSummary, requests: number | undefined): string {
  const perRequest = (ms: number): string => (requests === undefined || requests === 0 ? '' : `${Math.round((1000 * ms) / requests)} µs`.padStart(8));
  const lines = [
    `${title}: main thread not idle for ${(summary.busyMs / 1000).toFixed(2)} s` +
      (requests === undefined || requests === 0 ? '' : `, ${perRequest(summary.busyMs).trim()} per request (${requests} requests)`),
    `  ${summary.file} (window ${(summary.totalMs / 1000).toFixed(2)} s, includes the other target's runs as idle)`,
    `  self time by area (% of non-idle${requests === undefined ? '' : ', µs per request'}):`,
    ...summary.areas.slice(0, AREAS_SHOWN).map((area) => `    ${pct(area.percent)}${perRequest(area.ms)}  ${area.area}`),
    '  top self-time frames:',
    ...summary.topSelf.slice(0, FRAMES_SHOWN).map((frame) => `    ${pct(frame.percent)}${perRequest(frame.ms)}  ${frame.frame}  [${frame.area}]`),
  ];
  if (summary.topInclusiveOwn.length > 0) {
    lines.push('  project functions by inclusive time:');
    lines.push(...summary.topInclusiveOwn.slice(0, FRAMES_SHOWN).map((frame) => `    ${pct(frame.percent)}${perRequest(frame.ms)}  ${frame.frame}`));
  }
  return lines.join('\n');
}

function pct(value: number): string {
  return `${value.toFixed(1)}%`.padStart(6);
}

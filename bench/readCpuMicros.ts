import type { ChildHandle } from './startChildProcess.js';

/** User + system CPU time a child process has used so far, in µs. */
export async function readCpuMicros(child: ChildHandle): Promise<number> {
  const reply = await child.call({ type: 'cpu-usage' });
  if (reply.cpuMicros === undefined) throw new Error(`${child.name} did not report its CPU time`);
  return reply.cpuMicros;
}

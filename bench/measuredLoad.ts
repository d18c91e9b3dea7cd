import { readCpuMicros } from './readCpuMicros.js';
import type { LoadResult } from './runLoad.js';
import type { ChildHandle } from './startChildProcess.js';

/** A timed run plus the CPU time the target's process and the simulator spent on it (noise-robust cost per request). */
export async function measuredLoad(target: ChildHandle, simulator: ChildHandle, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const [targetBefore, simulatorBefore] = [await readCpuMicros(target), await readCpuMicros(simulator)];
  const result = await run();
  const [targetAfter, simulatorAfter] = [await readCpuMicros(target), await readCpuMicros(simulator)];
  return { ...result, processCpuMicros: { target: targetAfter - targetBefore, simulator: simulatorAfter - simulatorBefore } };
}

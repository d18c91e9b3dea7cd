/** Messages between the benchmark runner and its child processes (IPC). */

/** Child → parent, once it listens. */
export interface ChildReadyMessage {
  type: 'ready';
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
}

/** Parent → child: start V8's CPU profiler (the same sampler as `node --cpu-prof`). */
export interface ProfileStartMessage {
  type: 'profile-start';
  intervalMicros: number;
}

/** Parent → child: stop the profiler and write the `.cpuprofile` to `file`. */
export interface ProfileStopMessage {
  type: 'profile-stop';
  file: string;
}

/** Parent → child: report the CPU time this process has used so far. */
export interface CpuUsageMessage {
  type: 'cpu-usage';
}

export type ChildRequest = ProfileStartMessage | ProfileStopMessage | CpuUsageMessage;

/** Child → parent, answering a ChildRequest. */
export interface ChildReply {
  type: 'profile-started' | 'profile-written' | 'cpu-usage' | 'failed';
  detail?: string;
  /** For `cpu-usage`: user + system CPU time of the whole process (all threads), in µs. */
  cpuMicros?: number;
}

export function isChildReadyMessage(value: unknown): value is ChildReadyMessage {
  return isRecord(value) && value.type === 'ready' && typeof value.url === 'string';
}

export function isChildRequest(value: unknown): value is ChildRequest {
  if (!isRecord(value)) return false;
  return (
    (value.type === 'profile-start' && typeof value.intervalMicros === 'number') ||
    (value.type === 'profile-stop' && typeof value.file === 'string') ||
    value.type === 'cpu-usage'
  );
}

export function isChildReply(value: unknown): value is ChildReply {
  return isRecord(value) && (value.type === 'profile-started' || value.type === 'profile-written' || value.type === 'cpu-usage' || value.type === 'failed');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A timed autocannon run: every target gets the same one. */
export interface LoadScenario {
  kind: 'load';
  id: string;
  label: string;
  stream: boolean;
  connections: number;
}

/** The sequential undici loop measuring µs-precise added latency at one connection. */
export interface AddedLatencyScenario {
  kind: 'added-latency';
  id: string;
  label: string;
  stream: boolean;
}

export type BenchScenario = LoadScenario | AddedLatencyScenario;

export const BENCH_SCENARIOS: readonly BenchScenario[] = [
  { kind: 'load', id: 'nonstream-1', label: 'non-stream, 1 conn', stream: false, connections: 1 },
  { kind: 'load', id: 'nonstream-32', label: 'non-stream, 32 conns', stream: false, connections: 32 },
  { kind: 'load', id: 'stream-1', label: 'stream, 1 conn', stream: true, connections: 1 },
  { kind: 'load', id: 'stream-32', label: 'stream, 32 conns', stream: true, connections: 32 },
  { kind: 'added-latency', id: 'added-latency', label: 'sequential loop, non-stream', stream: false },
  { kind: 'added-latency', id: 'added-latency-stream', label: 'sequential loop, stream', stream: true },
];

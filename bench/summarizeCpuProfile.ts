import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileFrame {
  /** `functionName file:line`. */
  frame: string;
  area: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  busyMs: number;
  /** Self time by function, largest first. */
  topSelf: ProfileFrame[];
  /** Self time by area: a package under node_modules, a `src/` folder, a node: module group, GC, (program)… */
  areas: { area: string; ms: number; percent: number }[];
  /** Inclusive time of the project's own functions (dist/src), largest first; each sample counted once per function. */
  topInclusiveOwn: ProfileFrame[];
}

/** Reads a `.cpuprofile` written by `node --cpu-prof` and summarises where the busy time went. */
export function summarizeCpuProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfByNode = new Map<number, number>();
  for (let index = 0; index < samples.length; index++) {
    // A sample stands for the time until the next one.
    const micros = Math.max(0, deltas[index + 1] ?? 0);
    const id = samples[index] as number;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + micros);
  }

  const selfByFrame = new Map<string, { area: string; micros: number }>();
  const selfByArea = new Map<string, number>();
  let idleMicros = 0;
  let totalMicros = 0;
  for (const [id, micros] of selfByNode) {
    const node = byId.get(id);
    if (node === undefined) continue;
    totalMicros += micros;
    const area = areaOf(node.callFrame);
    if (area === '(idle)') idleMicros += micros;
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + micros);
    const frame = frameName(node.callFrame);
    const entry = selfByFrame.get(frame) ?? { area, micros: 0 };
    entry.micros += micros;
    selfByFrame.set(frame, entry);
  }

  const inclusiveOwn = new Map<string, { area: string; micros: number }>();
  for (let index = 0; index < samples.length; index++) {
    const micros = Math.max(0, deltas[index + 1] ?? 0);
    const seen = new Set<string>();
    let id: number | undefined = samples[index];
    while (id !== undefined) {
      const node = byId.get(id);
      if (node === undefined) break;
      if (node.callFrame.url.includes('/dist/src/')) {
        const frame = frameName(node.callFrame);
        if (!seen.has(frame)) {
          seen.add(frame);
          const entry = inclusiveOwn.get(frame) ?? { area: areaOf(node.callFrame), micros: 0 };
          entry.micros += micros;
          inclusiveOwn.set(frame, entry);
        }
      }
      id = parent.get(id);
    }
  }

  const busyMicros = totalMicros - idleMicros;
  const percent = (micros: number): number => (busyMicros > 0 ? (100 * micros) / busyMicros : 0);
  return {
    file,
    totalMs: totalMicros / 1000,
    idleMs: idleMicros / 1000,
    busyMs: busyMicros / 1000,
    topSelf: [...selfByFrame]
      .filter(([, entry]) => entry.area !== '(idle)')
      .sort((a, b) => b[1].micros - a[1].micros)
      .slice(0, top)
      .map(([frame, entry]) => ({ frame, area: entry.area, ms: entry.micros / 1000, percent: percent(entry.micros) })),
    areas: [...selfByArea]
      .filter(([area]) => area !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .map(([area, micros]) => ({ area, ms: micros / 1000, percent: percent(micros) })),
    topInclusiveOwn: [...inclusiveOwn]
      .sort((a, b) => b[1].micros - a[1].micros)
      .slice(0, top)
      .map(([frame, entry]) => ({ frame, area: entry.area, ms: entry.micros / 1000, percent: percent(entry.micros) })),
  };
}

function frameName(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  return `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  return url.replace(/^file:\/\//, '');
}

/** Which package, project folder or runtime part a frame belongs to. */
function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(idle)' || functionName === '(garbage collector)' || functionName === '(program)' || functionName === '(root)') return functionName;
    return '(native / V8 builtins)';
  }
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return (parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : parts[0]) ?? url;
  }
  const src = /\/dist\/src\/([^/]+)\//.exec(url) ?? /dist\/src\/([^/]+)\//.exec(url);
  if (src !== null) return `src/${src[1]}`;
  if (/\/dist\/src\/[^/]+\.js$/.test(url) || /^dist\/src\/[^/]+\.js$/.test(url)) return 'src (top level)';
  if (url.includes('/dist/bench/') || url.startsWith('dist/bench/') || url.startsWith('bench/')) return 'bench';
  if (url.startsWith('wasm://')) return '(wasm: llhttp, undici\'s HTTP parser)';
  if (url.startsWith('node:')) {
    const path = url.slice('node:'.length).split('/');
    return `node:${path[0] === 'internal' ? `internal/${path[1] ?? ''}` : path[0]}`.replace(/\.js$/, '');
  }
  return url;
}

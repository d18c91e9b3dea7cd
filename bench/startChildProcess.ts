import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isChildReadyMessage, isChildReply, type ChildReply, type ChildRequest } from './childMessages.js';

const READY_TIMEOUT_MS = 20_000;
/** Generous: a child started with `--cpu-prof` writes its profile while exiting. */
const STOP_TIMEOUT_MS = 15_000;

export interface ChildProcessOptions {
  /** For messages, e.g. `gateway`. */
  name: string;
  /** Compiled module next to this one, e.g. `simulatorProcess.js`. */
  module: string;
  args?: string[];
  /** Node flags for the child (e.g. `--cpu-prof`); the parent's own flags are not inherited. */
  execArgv?: string[];
  /** Where the child's stdout goes: a file descriptor, or `ignore` (default). stderr is inherited. */
  stdout?: number | 'ignore' | 'inherit';
}

export interface ChildHandle {
  readonly name: string;
  /** Origin the child listens on. */
  readonly url: string;
  readonly pid: number;
  /** Sends a request over IPC and resolves with the child's reply (one request at a time). */
  call(request: ChildRequest): Promise<ChildReply>;
  /** SIGTERM, then SIGKILL if it has not exited in time; resolves once it has exited. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Forks a benchmark child process and waits until it reports the origin it listens on. */
export async function startChildProcess(options: ChildProcessOptions): Promise<ChildHandle> {
  const modulePath = fileURLToPath(new URL(options.module, import.meta.url));
  const child = fork(modulePath, options.args ?? [], {
    execArgv: options.execArgv ?? [],
    stdio: ['ignore', options.stdout ?? 'ignore', 'inherit', 'ipc'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));

  const url = await new Promise<string>((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const fail = (error: Error): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    };
    const onMessage = (message: unknown): void => {
      if (!isChildReadyMessage(message)) return;
      cleanup();
      resolve(message.url);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      fail(new Error(`${options.name} process exited before it was ready (code ${code}, signal ${signal})`));
    };
    const onError = (error: Error): void => fail(error);
    const timer = setTimeout(() => fail(new Error(`${options.name} process was not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
  });

  return { name: options.name, url, pid: child.pid ?? -1, call: (request) => callChild(child, options.name, request), stop: () => stopChild(child) };
}

function callChild(child: ChildProcess, name: string, request: ChildRequest): Promise<ChildReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if (!isChildReply(message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (message.type === 'failed') reject(new Error(`${name}: ${request.type} failed: ${message.detail ?? ''}`));
      else resolve(message);
    };
    const onExit = (): void => {
      child.off('message', onMessage);
      reject(new Error(`${name} exited while handling ${request.type}`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(request);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every child still running (graceful first). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}

/** Last resort from a synchronous `exit` handler: no waiting possible, so SIGKILL. */
export function killAllChildrenNow(): void {
  for (const child of running) child.kill('SIGKILL');
}

import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createProfileState, type ProfileState } from './profileState.js';
import { SIMULATOR_PROTOCOLS } from './protocols.js';
import { RequestLog, type RecordedRequest } from './requestLog.js';
import { RequestTimer } from './requestTimer.js';
import type { ResponseDelivery } from './responseDelivery.js';
import { ScriptBook, type ScriptRule } from './scriptBook.js';
import { createSimulatorIds } from './simulatorIds.js';
import type { SimulatorOptions } from './simulatorOptions.js';
import type { SimulatorEndpoint, SimulatorProtocol } from './simulatorProtocol.js';
import { SimulatorRequestError } from './simulatorRequestError.js';
import { writeJson } from './writeJson.js';

export type { Behaviour, ReasoningTextField, ToolCallMode } from './behaviour.js';
export type { RecordedRequest } from './requestLog.js';
export type { ScriptRule } from './scriptBook.js';
export type { SimulatorOptions, SimulatorProfile } from './simulatorOptions.js';
export type { SimulatorProtocol } from './simulatorProtocol.js';

/** A running simulator. */
export interface Simulator {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** Live list of recorded requests (empty when `record: false`). */
  readonly requests: RecordedRequest[];
  /** The `base_url` of an OpenAI-protocol provider using this profile, e.g. `http://127.0.0.1:41234/p/fast/v1` (`/v1` for `default`). */
  profileUrl(profileId: string): string;
  /** The profile's root without a version segment, e.g. `http://127.0.0.1:41234/p/fast` (the origin for `default`): the `base_url` of protocols that add their own version path. */
  profileRoot(profileId: string): string;
  /** Adds a rule after the existing ones; the first matching rule applies. */
  script(rule: ScriptRule): void;
  clearScripts(): void;
  clearRequests(): void;
  /**
   * Resolves with the first request (already recorded or future) for which `predicate` holds; it is re-checked
   * whenever a request's status, `completed` or `aborted` changes. Rejects after `timeoutMs` (default 5000).
   */
  waitForRequest(predicate?: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

export const DEFAULT_PROFILE_ID = 'default';
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const PROFILE_PREFIX = /^\/p\/([^/]+)(\/.*)$/;

function formatOrigin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function parseJson(rawBody: string): unknown {
  if (rawBody === '') return undefined;
  try {
    return JSON.parse(rawBody);
  } catch {
    return undefined;
  }
}

interface Route {
  profileId: string;
  /** The protocol whose endpoint matched, else the first one (it answers unknown URLs). */
  protocol: SimulatorProtocol;
  endpoint: SimulatorEndpoint | undefined;
}

/** Strips the optional `/p/<profile>` prefix and finds the protocol endpoint for the rest of the path. */
function resolveRoute(path: string): Route {
  const prefixed = PROFILE_PREFIX.exec(path);
  const profileId = prefixed?.[1] ?? DEFAULT_PROFILE_ID;
  const rest = prefixed?.[2] ?? path;
  for (const protocol of SIMULATOR_PROTOCOLS) {
    const endpoint = protocol.endpoint(rest);
    if (endpoint !== undefined) return { profileId, protocol, endpoint };
  }
  return { profileId, protocol: SIMULATOR_PROTOCOLS[0] as SimulatorProtocol, endpoint: undefined };
}

function pathOf(url: string | undefined): string {
  const full = url ?? '/';
  const queryStart = full.indexOf('?');
  return queryStart < 0 ? full : full.slice(0, queryStart);
}

/** Starts a look-alike of the providers' native APIs (SIMULATOR_PROTOCOLS) on bare node:http (fast enough for 0-latency benchmarks). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const profiles = new Map<string, ProfileState>();
  profiles.set(DEFAULT_PROFILE_ID, createProfileState({ id: DEFAULT_PROFILE_ID, defaults: options.defaults }));
  const configuredIds = new Set<string>();
  for (const profile of options.profiles ?? []) {
    if (configuredIds.has(profile.id)) throw new TypeError(`Duplicate simulator profile id '${profile.id}'.`);
    configuredIds.add(profile.id);
    profiles.set(profile.id, createProfileState(profile));
  }
  const log = new RequestLog(options.record ?? true);
  const scripts = new ScriptBook();
  for (const rule of options.scripts ?? []) scripts.add(rule);
  const ids = createSimulatorIds();
  const startedAt = Math.floor(Date.now() / 1000);
  const sockets = new Set<Socket>();

  const route = (request: IncomingMessage, response: ServerResponse, rawBody: string, receivedAt: number, startTime: number): void => {
    const requestId = ids.requestId();
    const path = pathOf(request.url);
    const method = request.method ?? 'GET';
    const { profileId, protocol, endpoint } = resolveRoute(path);
    const profile = endpoint === undefined ? undefined : profiles.get(profileId);
    const body = parseJson(rawBody);

    let record: RecordedRequest | undefined;
    if (log.active) {
      record = { id: requestId, profile: profile?.id, method, path, headers: request.headers, body, rawBody, receivedAt, status: undefined, completed: false, aborted: false };
      log.add(record);
    }
    const timer = new RequestTimer();
    let destroyedOnPurpose = false;
    response.on('close', () => {
      timer.cancel();
      if (record === undefined) return;
      if (response.writableFinished) record.completed = true;
      else if (!destroyedOnPurpose) record.aborted = true;
      record.status = response.headersSent ? response.statusCode : undefined;
      log.changed(record);
    });
    const baseHeaders = (): OutgoingHttpHeaders => protocol.responseHeaders(requestId, performance.now() - startTime);
    const delivery: ResponseDelivery = {
      response,
      timer,
      baseHeaders,
      destroy: () => {
        destroyedOnPurpose = true;
        response.destroy();
      },
    };

    try {
      if (endpoint === undefined) throw new SimulatorRequestError(404, `Invalid URL (${method} ${path})`);
      if (profile === undefined) {
        throw new SimulatorRequestError(404, `Unknown simulator profile '${profileId}'. Known profiles: ${[...profiles.keys()].join(', ')}.`);
      }
      if (method !== endpoint.method) {
        response.setHeader('allow', endpoint.method);
        throw new SimulatorRequestError(405, `Invalid method for URL (${method} ${path})`);
      }
      protocol.authenticate(profile, request.headers);
      endpoint.handle({ body, headers: request.headers, profile, scripts, ids, requestId, delivery, startedAt });
    } catch (error) {
      if (!(error instanceof SimulatorRequestError)) throw error;
      writeJson(response, error.status, protocol.errorBody(error, requestId), baseHeaders());
    }
  };

  const server = createServer((request, response) => {
    const startTime = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        const tooLarge = new SimulatorRequestError(413, 'Request body too large.');
        writeJson(response, 413, resolveRoute(pathOf(request.url)).protocol.errorBody(tooLarge, ''), { connection: 'close' });
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (response.headersSent) return;
      const rawBody = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
      try {
        route(request, response, rawBody, Date.now(), startTime);
      } catch (error) {
        // A bug must not take the simulator down mid-test; answer 500 like a real upstream would.
        if (!response.headersSent) {
          const failure = new SimulatorRequestError(500, `Simulator internal error: ${String(error)}`, { type: 'server_error' });
          writeJson(response, 500, resolveRoute(pathOf(request.url)).protocol.errorBody(failure, ''), {});
        } else {
          response.destroy();
        }
      }
    });
    request.on('error', () => response.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = formatOrigin(host, port);
  let closing: Promise<void> | undefined;

  return {
    url,
    port,
    requests: log.requests,
    profileUrl(profileId: string): string {
      if (!profiles.has(profileId)) throw new Error(`Unknown simulator profile '${profileId}'. Known profiles: ${[...profiles.keys()].join(', ')}.`);
      return profileId === DEFAULT_PROFILE_ID ? `${url}/v1` : `${url}/p/${profileId}/v1`;
    },
    profileRoot(profileId: string): string {
      if (!profiles.has(profileId)) throw new Error(`Unknown simulator profile '${profileId}'. Known profiles: ${[...profiles.keys()].join(', ')}.`);
      return profileId === DEFAULT_PROFILE_ID ? url : `${url}/p/${profileId}`;
    },
    script: (rule) => scripts.add(rule),
    clearScripts: () => scripts.clear(),
    clearRequests: () => log.clear(),
    waitForRequest: (predicate = () => true, timeoutMs = 5000) => log.waitFor(predicate, timeoutMs),
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        log.rejectWaiters('Simulator closed.');
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

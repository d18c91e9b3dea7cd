import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { isChildRequest, type ChildReply, type ChildRequest } from './childMessages.js';

/**
 * Child side of the parent's requests: CPU time used so far, and V8's CPU profiler started and stopped on
 * demand, so a profile covers exactly the timed runs (no start-up, no warm-up). The file is the same
 * `.cpuprofile` as `node --cpu-prof` writes.
 */
export function serveParentRequests(): void {
  let session: Session | undefined;
  const handle = async (message: ChildRequest): Promise<ChildReply> => {
    if (message.type === 'cpu-usage') {
      const usage = process.cpuUsage();
      return { type: 'cpu-usage', cpuMicros: usage.user + usage.system };
    }
    if (message.type === 'profile-start') {
      session ??= new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: message.intervalMicros });
      await session.post('Profiler.start');
      return { type: 'profile-started' };
    }
    if (session === undefined) return { type: 'failed', detail: 'profiler not started' };
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    session.disconnect();
    session = undefined;
    await writeFile(message.file, JSON.stringify(profile));
    return { type: 'profile-written', detail: message.file };
  };
  process.on('message', (message: unknown) => {
    if (!isChildRequest(message)) return;
    handle(message).then(
      (reply) => process.send?.(reply),
      (error: unknown) => process.send?.({ type: 'failed', detail: String(error) } satisfies ChildReply),
    );
  });
}

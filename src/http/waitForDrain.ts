import type { ServerResponse } from 'node:http';

/** Resolves when the response can take more data, or when the connection closes (so a gone client never stalls us). */
export function waitForDrain(response: ServerResponse): Promise<void> {
  if (response.destroyed || response.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

import { readFileSync } from 'node:fs';

/** The last `lines` lines of a log file ('' when it cannot be read): shown before the work directory is deleted. */
export function readLogTail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

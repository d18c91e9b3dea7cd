import type { BenchTarget, TargetName } from './benchTarget.js';
import type { BenchOptions } from './parseBenchArgs.js';
import type { ChildHandle } from './startChildProcess.js';

/** What every scenario runner needs: the options, the two targets and their processes, the simulator, a progress log. */
export interface BenchContext {
  options: BenchOptions;
  targets: Record<TargetName, BenchTarget>;
  processes: Record<TargetName, ChildHandle>;
  simulator: ChildHandle;
  /** Progress goes to stderr, so stdout holds only the report (or the JSON). */
  log(message: string): void;
}

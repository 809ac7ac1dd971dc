/** Runs stages in the main thread: for built-in stages that are not CPU-heavy (`cpu` unset). */
import { pathToFileURL } from 'node:url';
import type { StageDefinition, StageResult } from '../stage-api.js';
import type { Executor, StageTask, TaskCallbacks } from './executor.js';
import { runDefinition } from './stage-context.js';

export class InProcessExecutor implements Executor {
  async run(task: StageTask, callbacks: TaskCallbacks, signal: AbortSignal): Promise<StageResult> {
    const module = (await import(pathToFileURL(task.modulePath).href)) as { default: StageDefinition };
    return runDefinition(module.default, task, callbacks, signal);
  }

  async close(): Promise<void> {}

  async terminate(): Promise<void> {}
}

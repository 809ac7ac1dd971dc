/** Builds the StageContext a stage receives, in a worker thread or in the main thread. */
import { Rng } from '../random.js';
import type { StageContext, StageDefinition, StageResult } from '../stage-api.js';
import type { StageTask, TaskCallbacks } from './executor.js';

/** Runs a stage definition on a task with a context wired to `callbacks`. */
export async function runDefinition(definition: StageDefinition, task: StageTask, callbacks: TaskCallbacks, signal: AbortSignal): Promise<StageResult> {
  const context: StageContext = {
    instanceId: task.instanceId,
    coords: task.coords,
    outDir: task.outDir,
    rng: (label: string) => Rng.from(task.seed, label),
    signal,
    progress: (done, total) => callbacks.progress(done, total),
    log: (message) => callbacks.log(message),
    warn: (message) => callbacks.warn(message),
  };
  const result = await definition.run(task.params, task.inputs, context);
  return result ?? {};
}

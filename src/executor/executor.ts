/**
 * Executors run one stage instance's code. The runner does all caching and IO around them, so a
 * distributed executor (for example BullMQ workers on a shared cache) implements only this.
 */
import type { JsonObject, StageInputs, StageResult } from '../stage-api.js';

/** Everything needed to run one instance; plain data, so it crosses thread boundaries. */
export interface StageTask {
  instanceId: string;
  /** Absolute path of the stage module (compiled JS or custom .mjs). */
  modulePath: string;
  coords: JsonObject;
  params: JsonObject;
  inputs: StageInputs;
  outDir: string;
  /** Seed material for StageContext.rng: SHA-256 of the stage kind and canonical params. */
  seed: string;
}

export interface TaskCallbacks {
  progress(done: number, total: number): void;
  log(message: string): void;
  warn(message: string): void;
}

export interface Executor {
  /** Runs a task; rejects with the stage's error. */
  run(task: StageTask, callbacks: TaskCallbacks, signal: AbortSignal): Promise<StageResult>;
  /** Stops idle resources; running tasks are left to finish. */
  close(): Promise<void>;
  /** Stops everything at once, failing running tasks. */
  terminate(): Promise<void>;
}

/** Messages between the WorkerPool and worker-entry. */
import type { SerializedError } from '../errors.js';
import type { StageResult } from '../stage-api.js';
import type { StageTask } from './executor.js';

export type ToWorker = { type: 'run'; task: StageTask } | { type: 'abort' };

export type FromWorker =
  | { type: 'progress'; done: number; total: number }
  | { type: 'log'; message: string }
  | { type: 'warn'; message: string }
  | { type: 'result'; result: StageResult }
  | { type: 'error'; error: SerializedError };

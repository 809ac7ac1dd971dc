/**
 * Every event the runner emits, as one discriminated union. Loggers in src/logging/ render them;
 * the runner itself never prints.
 */
import type { SerializedError } from './errors.js';
import type { RerunReason } from './explain.js';

/** `interrupted`: the instance was running when SIGINT or SIGTERM arrived, so it reruns next time. */
export type InstanceStatus = 'executed' | 'cached' | 'failed' | 'skipped' | 'interrupted';

/** Outcome counts and instance lists of one `run`, the last line of `run --json` (after any report event). */
export interface RunSummary {
  pipeline: string;
  executed: number;
  /** Up to date: reused from the cache. */
  cached: number;
  failed: number;
  /** Not run: an input failed, or the run stopped after a failure or an interrupt. */
  skipped: number;
  /** Instances that were running when the run was interrupted. */
  interruptedInstances: number;
  /** True when SIGINT or SIGTERM stopped the run (exit code 130). */
  interrupted: boolean;
  /** True when a failure was an InputError (bad user input), which maps to exit code 2. */
  inputError: boolean;
  instances: Record<InstanceStatus, string[]>;
  wallMs: number;
}

/** Planned action for one instance, as printed by `run --dry-run` and `status`. */
export interface PlannedInstance {
  id: string;
  stage: string;
  action: 'run' | 'cached';
  /** Cache key when it is known already (inputs are up to date). */
  key?: string;
  reasons: RerunReason[];
}

export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
}

export type RunEvent =
  | { type: 'run-start'; pipeline: string; total: number; jobs: number }
  | { type: 'lock-wait'; holder: LockHolder }
  | { type: 'lock-taken-over'; holder: LockHolder }
  | { type: 'instance-start'; id: string; key: string; reasons: RerunReason[] }
  | { type: 'instance-progress'; id: string; done: number; total: number }
  | { type: 'instance-warning'; id: string; message: string }
  | { type: 'instance-done'; id: string; key: string; wallMs: number }
  | { type: 'instance-cached'; id: string; key: string }
  | { type: 'instance-failed'; id: string; error: SerializedError; logPath: string }
  | { type: 'instance-skipped'; id: string; reason: string }
  | { type: 'interrupted'; signal: string }
  | { type: 'report-written'; html: string }
  | { type: 'report-skipped'; reason: string }
  | { type: 'run-end'; summary: RunSummary };

export type EventSink = (event: RunEvent) => void;

/**
 * Runs a pipeline's instances in dependency order under a concurrency limit, reusing up-to-date
 * run records and executing the rest. Emits events; never prints.
 */
import pLimit from 'p-limit';
import { join, resolve } from 'node:path';
import { Artifacts } from './artifacts.js';
import { readHeads, writeHeads } from './cache/heads.js';
import { LocalStore } from './cache/local-store.js';
import { RecordIndex } from './cache/record-index.js';
import type { RecordSummary, RunRecord } from './cache/run-record.js';
import { StatCache } from './cache/stat-cache.js';
import type { Dag, Instance } from './dag.js';
import { InputError, serializeError } from './errors.js';
import type { EventSink, InstanceStatus, PlannedInstance, RunSummary } from './event.js';
import type { RemoteCache } from './cache/remote-cache.js';
import type { Executor } from './executor/executor.js';
import { InProcessExecutor } from './executor/in-process.js';
import { WorkerPool } from './executor/worker-pool.js';
import { cacheKey, CodeHasher, type KeyInputs } from './hashing.js';
import type { CacheKey } from './canonical-json.js';
import type { RerunReason } from './explain.js';
import { assess, keyInputsFor, type Freshness, type PlanContext } from './plan.js';
import { executeInstance, type InstanceRunContext } from './run-instance.js';
import { selectInstances } from './selection.js';

export interface RunOptions {
  cacheDir: string;
  artifactsDir: string;
  jobs: number;
  /** Stage names or instance ids to rerun even when up to date. */
  force: string[];
  /** Stage names to run, with the instances they need. */
  only: string[];
  keepGoing: boolean;
  signal: AbortSignal;
  emit: EventSink;
  /** Milliseconds that running stages get after an interrupt before their workers are stopped. */
  graceMs?: number;
  /** Executor for custom and `cpu: true` stages: worker threads (default) or BullMQ workers. */
  executor?: 'local' | 'bullmq';
  /** Redis URL for the bullmq executor. */
  redis?: string;
  /** Shared cache bucket, `s3://bucket/prefix`; empty or absent for none. */
  remote?: string;
  endpoint?: string;
  remoteReadOnly?: boolean;
}

/** Opens the bucket behind --remote, when one is given; its downloads go through the cache's tmp/. */
async function openRemote(options: RunOptions, store: LocalStore): Promise<RemoteCache | undefined> {
  if (!options.remote) return undefined;
  // Loaded on demand, like the executor below, so a local no-op run does not load them.
  const { RemoteCache } = await import('./cache/remote-cache.js');
  return RemoteCache.open({ url: options.remote, endpoint: options.endpoint, readOnly: options.remoteReadOnly ?? false }, store, join(store.root, 'tmp', 'remote'));
}

/** Returns the executor of custom and `cpu: true` stages. */
async function openExecutor(options: RunOptions, store: LocalStore, remote: RemoteCache | undefined): Promise<Executor> {
  if (options.executor !== 'bullmq') return new WorkerPool(options.jobs);
  const { BullmqExecutor } = await import('./executor/bullmq-executor.js');
  return BullmqExecutor.open(options.redis, store, remote);
}

/** Opens the cache state that planning needs. */
export function openPlanContext(dag: Dag, options: Pick<RunOptions, 'cacheDir' | 'force'>): PlanContext {
  const store = new LocalStore(options.cacheDir);
  const stats = new StatCache(join(options.cacheDir, 'stat-cache.json'));
  return { store, index: new RecordIndex(store, dag.pipeline.name), stats, code: new CodeHasher(stats), heads: readHeads(options.cacheDir, dag.pipeline.name), force: new Set(options.force), pipelineDir: dag.pipeline.dir };
}

/** Plans a run without executing anything: one action and its reasons per selected instance. */
export function planRun(dag: Dag, options: Pick<RunOptions, 'cacheDir' | 'force' | 'only'>): PlannedInstance[] {
  const context = openPlanContext(dag, options);
  const manifests = new Map<string, string>();
  const plan = selectInstances(dag, options.only, options.force).map((instance): PlannedInstance => {
    const freshness = assess(instance, manifests, context);
    if (freshness.status === 'fresh') {
      manifests.set(instance.id, freshness.record.manifestHash);
      return { id: instance.id, stage: instance.stage.name, action: 'cached', key: freshness.key, reasons: [] };
    }
    const key = freshness.status === 'stale' ? freshness.key : undefined;
    return { id: instance.id, stage: instance.stage.name, action: 'run', key, reasons: freshness.reasons };
  });
  context.stats.save();
  return plan;
}

/**
 * Runs the pipeline while the caller holds the cache lock. The caller emits `run-end` with the returned
 * summary, so that report events can come before it.
 */
export async function runPipeline(dag: Dag, options: RunOptions): Promise<{ summary: RunSummary; records: Map<string, RecordSummary>; statuses: Map<string, InstanceStatus> }> {
  const started = Date.now();
  const plan = openPlanContext(dag, options);
  plan.store.clearTemp();
  const selected = selectInstances(dag, options.only, options.force);
  const remote = await openRemote(options, plan.store);
  let pool: Executor;
  try {
    pool = await openExecutor(options, plan.store, remote);
  } catch (error) {
    remote?.close();
    throw error;
  }
  const state = new RunState(dag, plan, options, pool, remote);
  options.emit({ type: 'run-start', pipeline: dag.pipeline.name, total: selected.length, jobs: options.jobs });
  const limit = pLimit(options.jobs);
  // After an interrupt, running stages get a grace period to stop on their abort signal.
  const onAbort = (): void => void setTimeout(() => void state.terminate(), options.graceMs ?? 3000).unref();
  options.signal.addEventListener('abort', onAbort, { once: true });
  await Promise.all(scheduleVisits(selected, state, limit).values());
  options.signal.removeEventListener('abort', onAbort);
  await state.finish();
  const summary = state.summary(Date.now() - started);
  return { summary, records: state.records, statuses: state.statuses };
}

/** Starts the visit of every instance once its inputs settle; returns each visit's outcome by id. */
function scheduleVisits(selected: Instance[], state: RunState, limit: ReturnType<typeof pLimit>): Map<string, Promise<boolean>> {
  const outcomes = new Map<string, Promise<boolean>>();
  const upToDate = Promise.resolve(true);
  for (const instance of selected) {
    // On a no-op run every instance settles here, without a chain of promises per instance.
    let early: Freshness | undefined;
    try {
      early = state.assessNow(instance);
    } catch (error) {
      outcomes.set(instance.id, Promise.resolve(state.failOutside(instance, error)));
      continue;
    }
    if (early?.status === 'fresh') {
      outcomes.set(instance.id, upToDate);
      continue;
    }
    const upstream = instance.inputs.flatMap((input) => input.ids);
    const visited = Promise.all(upstream.map((id) => outcomes.get(id)!)).then((ok) => state.visit(instance, ok.every(Boolean), limit, early));
    // An error outside stage code (a full artifacts disk) fails the instance instead of leaving
    // the other visits and the workers running after runPipeline has thrown.
    outcomes.set(instance.id, visited.catch((error: unknown) => state.failOutside(instance, error)));
  }
  return outcomes;
}

/** Mutable state of one run: records of finished instances, statuses and the stop flag. */
class RunState {
  readonly records = new Map<string, RecordSummary>();
  readonly statuses = new Map<string, InstanceStatus>();
  private readonly manifests = new Map<string, string>();
  private readonly inflight = new Map<string, Promise<RecordSummary | undefined>>();
  private readonly artifacts: Artifacts;
  private readonly context: InstanceRunContext;
  private readonly stopController = new AbortController();
  private inputError = false;
  private headsChanged = false;

  constructor(
    private readonly dag: Dag,
    private readonly plan: PlanContext,
    private readonly options: RunOptions,
    pool: Executor,
    private readonly remote: RemoteCache | undefined,
  ) {
    this.artifacts = new Artifacts(resolve(options.artifactsDir, dag.pipeline.name), plan.store);
    this.context = {
      store: plan.store, pipeline: dag.pipeline.name, emit: options.emit, pool,
      inProcess: new InProcessExecutor(), records: this.records, byId: dag.byId, signal: options.signal,
    };
  }

  /**
   * Assesses an instance before any instance has run, when its inputs are already up to date:
   * completes it when it is fresh, and returns the result so that visit() need not assess again.
   * Returns undefined when its inputs are not settled yet or the remote cache must be asked first.
   */
  assessNow(instance: Instance): Freshness | undefined {
    if (this.remote !== undefined) return undefined;
    const freshness = assess(instance, this.manifests, this.plan);
    if (freshness.status === 'pending') return undefined;
    if (freshness.status === 'fresh') {
      this.emitEvent({ type: 'instance-cached', id: instance.id, key: freshness.key });
      this.complete(instance, freshness.record, 'cached');
    }
    return freshness;
  }

  /**
   * Handles one instance once its inputs are settled; resolves to true when it is up to date.
   * `assessed` is the stale result of assessNow(), still valid because its inputs were up to date.
   */
  async visit(instance: Instance, inputsOk: boolean, limit: ReturnType<typeof pLimit>, assessed?: Freshness): Promise<boolean> {
    if (!inputsOk) return this.skip(instance, 'an input failed or was skipped');
    if (this.remote !== undefined) await this.pull(instance);
    const freshness = assessed ?? assess(instance, this.manifests, this.plan);
    if (freshness.status === 'pending') throw new Error(`Internal error: inputs of ${instance.id} are not settled`);
    if (freshness.status === 'fresh') {
      this.emitEvent({ type: 'instance-cached', id: instance.id, key: freshness.key });
      return this.complete(instance, freshness.record, 'cached');
    }
    // Instances with equal keys compute the same outputs: run the key once and share the record.
    const running = this.inflight.get(freshness.key);
    if (running !== undefined) {
      const shared = await running;
      if (shared === undefined) return this.skip(instance, 'an instance with the same cache key failed');
      this.emitEvent({ type: 'instance-cached', id: instance.id, key: freshness.key });
      return this.complete(instance, shared, 'cached');
    }
    const execution = limit(() => this.execute(instance, freshness.key, freshness.keyInputs, freshness.reasons));
    this.inflight.set(freshness.key, execution);
    const record = await execution;
    if (record === undefined) return false;
    return this.complete(instance, record, 'executed');
  }

  /** Executes one instance; returns its record, or undefined when it failed or did not start. */
  private async execute(instance: Instance, key: CacheKey, keyInputs: KeyInputs, reasons: RerunReason[]): Promise<RunRecord | undefined> {
    if (this.stopped()) {
      this.skip(instance, this.options.signal.aborted ? 'the run was interrupted' : 'the run stopped after a failure');
      return undefined;
    }
    this.emitEvent({ type: 'instance-start', id: instance.id, key, reasons });
    const outcome = await executeInstance(instance, key, keyInputs, this.context);
    if (!outcome.ok && outcome.interrupted) {
      this.interrupt(instance);
      return undefined;
    }
    if (!outcome.ok) {
      this.fail(instance, outcome.error);
      return undefined;
    }
    this.plan.index.add(outcome.record);
    if (this.remote !== undefined) await this.push(instance, outcome.record);
    this.emitEvent({ type: 'instance-done', id: instance.id, key, wallMs: outcome.record.timings.wallMs });
    return outcome.record;
  }

  /** Copies the instance's record and outputs from the bucket when the local cache lacks them. */
  private async pull(instance: Instance): Promise<void> {
    if (this.plan.force.has(instance.id) || this.plan.force.has(instance.stage.name)) return;
    const key = cacheKey(keyInputsFor(instance, this.manifests, this.plan));
    // The index makes a no-op run read one file; only a miss there costs a record read or a request.
    const known = this.plan.index.get(key);
    if (known !== undefined && !('outdated' in known) && Object.values(known.outputs).every((entry) => this.plan.store.hasObject(entry.hash))) return;
    try {
      const outcome = await this.remote!.pull(key);
      if (outcome.status === 'corrupt') this.emitEvent({ type: 'instance-warning', id: instance.id, message: `remote object ${outcome.hash} failed its hash check; the instance runs again and replaces it` });
    } catch (error) {
      this.emitEvent({ type: 'instance-warning', id: instance.id, message: `could not read the remote cache: ${(error as Error).message}` });
    }
  }

  /** Uploads a new record and its objects; a failed upload is a warning, since the local cache has them. */
  private async push(instance: Instance, record: RunRecord): Promise<void> {
    try {
      await this.remote!.push(record);
    } catch (error) {
      this.emitEvent({ type: 'instance-warning', id: instance.id, message: `could not upload to the remote cache: ${(error as Error).message}` });
    }
  }

  private complete(instance: Instance, record: RecordSummary, status: InstanceStatus): boolean {
    this.records.set(instance.id, record);
    this.manifests.set(instance.id, record.manifestHash);
    this.statuses.set(instance.id, status);
    if (this.plan.heads[instance.id] !== record.key) {
      this.plan.heads[instance.id] = record.key;
      this.headsChanged = true;
    }
    this.artifacts.update(instance, record);
    return true;
  }

  /** Fails an instance for an error raised by the engine around it, and stops the run. */
  failOutside(instance: Instance, error: unknown): boolean {
    const cause = error instanceof Error ? error : new Error(String(error));
    this.emitEvent({ type: 'instance-failed', id: instance.id, error: serializeError(cause), logPath: 'none (the error is outside the stage)' });
    return this.fail(instance, cause);
  }

  private fail(instance: Instance, error: Error): boolean {
    this.statuses.set(instance.id, 'failed');
    if (error instanceof InputError) this.inputError = true;
    if (!this.options.keepGoing) this.stopController.abort();
    return false;
  }

  /** Marks an instance that was running when the run was interrupted; it reruns next time. */
  private interrupt(instance: Instance): void {
    this.statuses.set(instance.id, 'interrupted');
    // TODO: a dedicated instance-interrupted event needs a case in src/logging/. Until then the
    // loggers print and count it as a skip whose reason states it was interrupted.
    this.emitEvent({ type: 'instance-skipped', id: instance.id, reason: 'interrupted while running, so it reruns on the next run' });
  }

  private skip(instance: Instance, reason: string): boolean {
    this.statuses.set(instance.id, 'skipped');
    this.emitEvent({ type: 'instance-skipped', id: instance.id, reason });
    return false;
  }

  private stopped(): boolean {
    return this.options.signal.aborted || this.stopController.signal.aborted;
  }

  private emitEvent(event: Parameters<EventSink>[0]): void {
    this.options.emit(event);
  }

  /** Saves the heads, artifacts manifest and stat cache, and stops the workers. */
  async finish(): Promise<void> {
    try {
      if (this.headsChanged) writeHeads(this.plan.store.root, this.dag.pipeline.name, this.plan.heads);
      this.artifacts.save();
      this.plan.index.save();
      this.plan.stats.save();
    } finally {
      // A failed write (a full disk) must still stop the workers, or the process never exits.
      await this.context.pool.close();
      this.remote?.close();
    }
  }

  /** Stops workers at once; used after the interrupt grace period. */
  async terminate(): Promise<void> {
    await this.context.pool.terminate();
  }

  summary(wallMs: number): RunSummary {
    const instances: RunSummary['instances'] = { executed: [], cached: [], failed: [], skipped: [], interrupted: [] };
    for (const instance of this.dag.instances) {
      const status = this.statuses.get(instance.id);
      if (status !== undefined) instances[status].push(instance.id);
    }
    return {
      pipeline: this.dag.pipeline.name,
      executed: instances.executed.length,
      cached: instances.cached.length,
      failed: instances.failed.length,
      skipped: instances.skipped.length,
      interruptedInstances: instances.interrupted.length,
      interrupted: this.options.signal.aborted,
      inputError: this.inputError,
      instances,
      wallMs,
    };
  }
}

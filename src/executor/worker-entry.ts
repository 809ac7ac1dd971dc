/**
 * Worker thread entry: runs stage tasks sent by the WorkerPool, one at a time. Each stage module
 * is imported once per worker and reused for later tasks.
 */
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { serializeError } from '../errors.js';
import type { StageDefinition } from '../stage-api.js';
import type { StageTask } from './executor.js';
import { runDefinition } from './stage-context.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const modules = new Map<string, Promise<StageDefinition>>();
let controller = new AbortController();

function load(modulePath: string): Promise<StageDefinition> {
  let definition = modules.get(modulePath);
  if (definition === undefined) {
    definition = import(pathToFileURL(modulePath).href).then((module: { default: StageDefinition }) => module.default);
    modules.set(modulePath, definition);
  }
  return definition;
}

const post = (message: FromWorker): void => parentPort!.postMessage(message);

async function runTask(task: StageTask): Promise<void> {
  controller = new AbortController();
  try {
    const definition = await load(task.modulePath);
    const callbacks = {
      progress: (done: number, total: number) => post({ type: 'progress', done, total }),
      log: (message: string) => post({ type: 'log', message: String(message) }),
      warn: (message: string) => post({ type: 'warn', message: String(message) }),
    };
    const result = await runDefinition(definition, task, callbacks, controller.signal);
    post({ type: 'result', result });
  } catch (error) {
    post({ type: 'error', error: serializeError(error) });
  }
}

parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'run') void runTask(message.task);
  else controller.abort();
});

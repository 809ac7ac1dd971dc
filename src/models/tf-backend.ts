/**
 * Loads TensorFlow.js once per process with the fastest backend available: the native
 * `@tensorflow/tfjs-node` when it is installed (an optional dependency whose install step needs a
 * download), else `@tensorflow/tfjs` on the WebAssembly backend. Both are imported lazily because
 * importing TensorFlow.js costs about 0.2 s.
 */
export type TensorFlow = typeof import('@tensorflow/tfjs');

export interface LoadedTensorFlow {
  tf: TensorFlow;
  /** 'tensorflow' (native), 'wasm', or 'cpu' when WebAssembly failed to start. */
  backend: string;
}

let loading: Promise<LoadedTensorFlow> | undefined;
let announced = false;

async function loadNative(): Promise<TensorFlow | undefined> {
  // A variable specifier keeps the type checker and bundlers from requiring the optional package.
  const specifier = '@tensorflow/tfjs-node';
  try {
    return (await import(specifier)) as TensorFlow;
  } catch {
    return undefined;
  }
}

async function loadTensorFlow(): Promise<LoadedTensorFlow> {
  const native = await loadNative();
  if (native !== undefined) {
    await native.ready();
    return { tf: native, backend: native.getBackend() };
  }
  const tf = await import('@tensorflow/tfjs');
  // Importing the package registers the 'wasm' backend; in Node it finds its .wasm files itself.
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: tf.getBackend() };
}

/**
 * Returns the process-wide TensorFlow.js instance. `log` receives one line naming the backend the
 * first time any caller passes one.
 */
export async function tensorFlow(log?: (message: string) => void): Promise<LoadedTensorFlow> {
  loading ??= loadTensorFlow();
  const loaded = await loading;
  if (log !== undefined && !announced) {
    announced = true;
    log(`TensorFlow.js backend: ${loaded.backend}`);
  }
  return loaded;
}

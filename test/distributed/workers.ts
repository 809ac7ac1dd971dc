/** Starts `recon worker` processes and reads what they print. */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRecon, type CliResult } from '../engine/cli-helpers.js';
import { stopChild, waitForOutput } from './servers.js';

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the worker printed so far. */
  output(): string;
  stop(): Promise<number | null>;
}

/** Short lock timings, so a killed worker's job returns to the queue within about three seconds. */
export const FAST_STALL = ['--lock-duration', '2000', '--stalled-interval', '1000'];

/** Starts a worker in `cwd` and waits until it listens to the queue. */
export async function startWorker(cwd: string, redisUrl: string, ...args: string[]): Promise<WorkerProcess> {
  const child = startRecon(cwd, 'worker', '--redis', redisUrl, ...args);
  let text = '';
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await waitForOutput(child, ' ready: queue ');
  return { child, output: () => text, stop: () => stopChild(child) };
}

/** Runs the CLI without blocking this process, so the workers' output keeps being read meanwhile. */
export function reconAsync(cwd: string, ...args: string[]): Promise<CliResult> {
  const child = startRecon(cwd, ...args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

/** Instance ids whose jobs a worker started, in order. */
export function startedBy(worker: WorkerProcess): string[] {
  return worker.output().split('\n').filter((line) => line.startsWith('start  ')).map((line) => line.slice(7));
}

/** Makes every fit instance of the basic fixture sleep `delayMs`. */
export function slowFits(dir: string, delayMs: number): void {
  const path = join(dir, 'pipeline.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('factor: 2', `factor: 2, delayMs: ${delayMs}`));
}

/** Parses `run --json` output into its events. */
export function eventsOf(stdout: string): { type: string; id?: string; message?: string; logPath?: string }[] {
  return stdout.trim().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string });
}

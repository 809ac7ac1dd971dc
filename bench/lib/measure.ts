/**
 * Timing primitives of the benchmark: medians, calibrated loops, and child processes timed with
 * their peak resident memory.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** GNU time, which reports a child's peak resident set size (`%M`, KiB) and CPU seconds (`%U`, `%S`). */
const GNU_TIME = '/usr/bin/time';

/** Returns the median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('Internal error: median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Returns seconds since `start` (a `process.hrtime.bigint()` reading). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Times `work` and returns the median seconds per call over `repeats` repeats. Each repeat loops
 * enough calls to last about `minSeconds`, so timer resolution does not matter. One warm-up call
 * keeps first-call allocation and JIT compilation out of the figure.
 */
export function medianSecondsPerCall(work: () => void, repeats: number, minSeconds = 0.2): { seconds: number; calls: number } {
  work();
  let start = process.hrtime.bigint();
  work();
  const once = Math.max(secondsSince(start), 1e-7);
  const calls = Math.max(1, Math.round(minSeconds / once));
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) work();
    samples.push(secondsSince(start) / calls);
  }
  return { seconds: median(samples), calls };
}

export interface ProcessRun {
  /** Wall time from spawn to exit, in seconds. */
  wallS: number;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the child in MiB; null when GNU time is not installed. */
  peakRssMb: number | null;
  /** User plus system CPU seconds of the child and its threads; null without GNU time. */
  cpuS: number | null;
}

export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs `command args` to completion, under GNU time when available, capturing its output. */
export async function runProcess(command: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessRun> {
  const withTime = existsSync(GNU_TIME);
  const scratch = withTime ? await mkdtemp(join(tmpdir(), 'recon-bench-time-')) : null;
  const rssFile = scratch === null ? '' : join(scratch, 'rss');
  const [file, argv] = withTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args]] : [command, [...args]];
  const start = process.hrtime.bigint();
  const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const wallS = secondsSince(start);
  let peakRssMb: number | null = null;
  let cpuS: number | null = null;
  if (scratch !== null) {
    // GNU time writes "Command exited with non-zero status N" before the figures on failure.
    const lines = (await readFile(rssFile, 'utf8').catch(() => '')).trim().split('\n');
    const [kib, user, system] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    peakRssMb = Number.isFinite(kib) && kib > 0 ? kib / 1024 : null;
    cpuS = Number.isFinite(user) && Number.isFinite(system) ? user + system : null;
    await rm(scratch, { recursive: true, force: true });
  }
  const output = { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
  return { wallS, exitCode, ...output, peakRssMb, cpuS };
}

/** Returns the last line of `text` parsed as JSON, or raises naming what the program printed. */
export function lastJsonLine<T>(text: string, program: string): T {
  const lines = text.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${program} printed no JSON result; its last output line was: ${last.slice(0, 300)}`);
  }
}

/**
 * Processes the --bullmq section starts for itself: one redis-server on 127.0.0.1 and a free port,
 * in its own temporary directory, and `recon worker` processes. Each is stopped by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './pipelines.js';

export const REDIS_SERVER = '/usr/bin/redis-server';
const RECON_BIN = join(REPO_DIR, 'bin', 'recon.js');

/** Seconds to wait for a process to print its ready line, and for it to exit after SIGTERM. */
const START_TIMEOUT_S = 60;
const STOP_TIMEOUT_S = 30;

/** Keeps the last characters a child printed, for error messages, and drains its pipes. */
const OUTPUT_TAIL = 4000;

export interface Started {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Returns a port on 127.0.0.1 that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Spawns `command` and resolves once its stdout or stderr contains `ready`. Rejects on exit or timeout. */
async function startUntil(command: string, args: string[], ready: string, env: NodeJS.ProcessEnv, program: string): Promise<Started> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  const started: Started = { child, output: () => seen, stop: () => stopPid(child) };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${program} printed no "${ready}" within ${START_TIMEOUT_S} s:\n${seen}`)), START_TIMEOUT_S * 1000);
    const onData = (chunk: Buffer): void => {
      seen = (seen + chunk.toString()).slice(-OUTPUT_TAIL);
      if (seen.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => reject(error));
    child.once('exit', (code) => reject(new Error(`${program} exited with code ${code} before it was ready:\n${seen}`)));
  }).catch(async (error: unknown) => {
    await stopPid(child);
    throw error;
  });
  return started;
}

/** Sends SIGTERM to the child's pid, then SIGKILL to the same pid if it has not exited after STOP_TIMEOUT_S. */
function stopPid(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const timer = setTimeout(() => killQuietly(pid, 'SIGKILL'), STOP_TIMEOUT_S * 1000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    killQuietly(pid, 'SIGTERM');
  });
}

/** Sends `signal` to `pid`, ignoring a child that exited between the exit check and the signal. */
function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts redis-server on 127.0.0.1 without persistence, its working directory a fresh temp dir. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'recon-bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  let server: Started;
  try {
    server = await startUntil(REDIS_SERVER, args, 'Ready to accept connections', process.env, 'redis-server');
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts `recon worker --concurrency 1` on `cacheDir` and waits until it listens to the queue. */
export function startWorker(redisUrl: string, cacheDir: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const args = [RECON_BIN, 'worker', '--redis', redisUrl, '--concurrency', '1', '--cache-dir', cacheDir];
  return startUntil(process.execPath, args, ' ready: queue ', env, 'recon worker');
}

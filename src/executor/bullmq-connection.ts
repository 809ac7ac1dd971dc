/** Redis connection settings and the start-up check shared by the coordinator and `recon worker`. */
import { InputError } from '../errors.js';

/** BullMQ connection options for `url`; blocking commands need no per-request retry limit. */
export function connectionOptions(url: string): { url: string; maxRetriesPerRequest: null } {
  return { url, maxRetriesPerRequest: null };
}

/**
 * Pings Redis once, without retries, and raises InputError when it does not respond. BullMQ's own
 * clients retry a refused connection forever, and closing a QueueEvents that never connected hangs
 * (bullmq 6.7), so they are created only after this check passes.
 */
export async function checkRedis(url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new InputError(`Cannot connect to Redis at ${url}: ${(error as Error).message}.`, {
      value: url, hint: 'start redis-server (for example redis-server --port 6379 --bind 127.0.0.1) or fix --redis',
    });
  } finally {
    client.disconnect();
  }
}

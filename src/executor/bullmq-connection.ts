/** Redis connection settings and start-up checks shared by the coordinator and `recon worker`. */
import { InputError } from '../errors.js';

/** BullMQ connection options for `url`; blocking commands need no per-request retry limit. */
export function connectionOptions(url: string): { url: string; maxRetriesPerRequest: null } {
  return { url, maxRetriesPerRequest: null };
}

interface Connectable {
  waitUntilReady(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Waits until `client` is connected. ioredis retries a refused connection forever, so the first
 * connection error ends the wait with an InputError instead of hanging the command.
 */
export async function ready(client: Connectable, url: string): Promise<void> {
  let onError: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    onError = (error) => reject(new InputError(`Cannot connect to Redis at ${url}: ${error.message}.`, {
      value: url, hint: 'start redis-server (for example redis-server --port 6379 --bind 127.0.0.1) or fix --redis',
    }));
  });
  client.on('error', onError);
  try {
    await Promise.race([client.waitUntilReady(), failed]);
  } finally {
    client.off('error', onError);
  }
}

/** `--json`: one JSON object per event on stdout; the last line of a run is its summary. */
import type { RunEvent } from '../event.js';
import type { Logger } from './logger.js';

export class JsonLogger implements Logger {
  log(event: RunEvent): void {
    if (event.type === 'instance-progress') return;
    const line = event.type === 'run-end' ? { type: 'summary', ...event.summary } : event;
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }

  close(): void {}
}

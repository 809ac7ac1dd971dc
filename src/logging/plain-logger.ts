/** Plain lines on stderr, for pipes and CI: one line per change, progress at most once a second. */
import type { RunEvent } from '../event.js';
import { describeEvent, type Logger } from './logger.js';

export class PlainLogger implements Logger {
  private finished = 0;
  private total = 0;
  private lastProgressMs = 0;

  constructor(private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  log(event: RunEvent): void {
    if (event.type === 'run-start') this.total = event.total;
    if (event.type === 'instance-done' || event.type === 'instance-cached' || event.type === 'instance-failed' || event.type === 'instance-skipped') this.finished++;
    if (event.type === 'run-end') {
      process.stdout.write(`${describeEvent(event)}\n`);
      return;
    }
    const line = describeEvent(event);
    if (line !== undefined && event.type !== 'instance-progress') this.write(line);
    if (event.type === 'instance-progress' || event.type === 'instance-done') this.progress();
  }

  private progress(): void {
    const now = Date.now();
    if (now - this.lastProgressMs < 1000) return;
    this.lastProgressMs = now;
    this.write(`progress ${this.finished}/${this.total} instances`);
  }

  close(): void {}
}

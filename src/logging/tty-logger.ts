/** A progress bar on an interactive terminal (stderr is a TTY and CI is unset). */
import type { SingleBar } from 'cli-progress';
import type { RunEvent } from '../event.js';
import { describeEvent, type Logger } from './logger.js';

export class TtyLogger implements Logger {
  private bar: SingleBar | undefined;
  private finished = 0;

  constructor(private readonly progress: typeof import('cli-progress')) {}

  log(event: RunEvent): void {
    if (event.type === 'run-start') {
      this.bar = new this.progress.SingleBar(
        { format: ' {bar} {value}/{total} {current}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
        this.progress.Presets.shades_classic,
      );
      this.bar.start(event.total, 0, { current: '' });
    }
    const settled = event.type === 'instance-done' || event.type === 'instance-cached' || event.type === 'instance-failed' || event.type === 'instance-skipped';
    if (settled) this.finished++;
    if (event.type === 'instance-start' || event.type === 'instance-progress') this.bar?.update(this.finished, { current: event.id });
    else if (settled) this.bar?.update(this.finished);
    if (event.type === 'run-end') {
      this.close();
      process.stdout.write(`${describeEvent(event)}\n`);
      return;
    }
    const line = event.type === 'instance-start' || event.type === 'instance-done' ? undefined : describeEvent(event);
    if (line !== undefined && event.type !== 'run-start') this.print(line);
  }

  private print(line: string): void {
    if (this.bar) this.bar.stop();
    process.stderr.write(`${line}\n`);
    if (this.bar) this.bar.start(this.bar.getTotal(), this.finished, { current: '' });
  }

  close(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

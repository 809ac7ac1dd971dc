/** Picks the logger: JSON with --json, a progress bar on an interactive terminal, else plain lines. */
import { JsonLogger } from './json-logger.js';
import type { Logger } from './logger.js';
import { PlainLogger } from './plain-logger.js';

export async function chooseLogger(json: boolean): Promise<Logger> {
  if (json) return new JsonLogger();
  if (process.stderr.isTTY && !process.env.CI) {
    const { TtyLogger } = await import('./tty-logger.js');
    const progress = (await import('cli-progress')) as typeof import('cli-progress') & { default?: typeof import('cli-progress') };
    return new TtyLogger(progress.default ?? progress);
  }
  return new PlainLogger();
}

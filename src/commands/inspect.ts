/** Read-only commands: status, explain, dag, report. */
import type { CliOptions } from '../cli-options.js';
export async function statusCommand(_args: string[], _options: CliOptions): Promise<number> { return 0; }
export async function explainCommand(_args: string[], _options: CliOptions): Promise<number> { return 0; }
export async function dagCommand(_args: string[], _options: CliOptions): Promise<number> { return 0; }
export async function reportCommand(_args: string[], _options: CliOptions): Promise<number> { return 0; }

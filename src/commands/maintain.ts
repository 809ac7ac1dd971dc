/** Cache maintenance: verify and gc. */
import type { CliOptions } from '../cli-options.js';
export async function verifyCommand(_args: string[], _options: CliOptions): Promise<number> { return 0; }
export async function gcCommand(_args: string[], _options: CliOptions): Promise<number> { return 0; }

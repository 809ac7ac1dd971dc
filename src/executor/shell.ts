/**
 * Shell stages (`run:` in a pipeline), executed with zx in the instance's output directory.
 * Placeholders are substituted with shell-quoted values before the command runs.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject, JsonValue } from '../stage-api.js';

export interface ShellTask {
  command: string;
  /** Input name -> output directories of the upstream instances. */
  inputDirs: Record<string, string[]>;
  outputs: Record<string, string>;
  params: JsonObject;
  coords: JsonObject;
  outDir: string;
  logFile: string;
}

const PLACEHOLDER = /\{(inputs|outputs|params|coords)\.([^}]+)\}/g;

/** Quotes a value for a POSIX shell. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const format = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

/** Returns the command with every placeholder replaced by its quoted value. */
export function expandCommand(task: ShellTask): string {
  return task.command.replace(PLACEHOLDER, (_, group: string, name: string) => {
    if (group === 'inputs') return (task.inputDirs[name] ?? []).map(shellQuote).join(' ');
    if (group === 'outputs') return shellQuote(task.outputs[name]);
    if (group === 'params') return shellQuote(format(task.params[name]));
    return shellQuote(format(task.coords[name]));
  });
}

/** Runs the command; raises when it exits non-zero or a declared output is missing. */
export async function runShell(task: ShellTask, signal: AbortSignal): Promise<void> {
  const { $ } = await import('zx');
  const command = expandCommand(task);
  appendFileSync(task.logFile, `$ ${command}\n`);
  const pieces = Object.assign([command], { raw: [command] }) as unknown as TemplateStringsArray;
  const result = await $({ cwd: task.outDir, signal, quiet: true, nothrow: true })(pieces);
  appendFileSync(task.logFile, result.stdout + result.stderr);
  if (result.exitCode !== 0) throw new Error(`Command exited with code ${result.exitCode}: ${command}`);
  for (const [name, file] of Object.entries(task.outputs)) {
    if (!existsSync(join(task.outDir, file))) throw new Error(`Declared output ${name} (${file}) was not written by: ${command}`);
  }
}

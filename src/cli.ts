/**
 * The `recon` command line: parses flags from the table in cli-options.ts, dispatches to a
 * command, prints diagnostics, and maps the outcome to an exit code (0 done, 1 a stage failed,
 * 2 invalid input or usage, 130 interrupted).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { COMMANDS, OPTIONS, type CliOptions, type CommandName } from './cli-options.js';
import { DiagnosticError, formatDiagnostic } from './diagnostic.js';
import { InputError, formatLocation } from './errors.js';
import { startsWithLocation } from './logging/logger.js';
import { projectRoot } from './paths.js';

export const EXIT_OK = 0;
export const EXIT_STAGE_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** Runs `recon` with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedStdout();
  let code = EXIT_OK;
  const program = buildProgram((result) => (code = result));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    return reportError(error);
  }
}

type Handler = (args: string[], options: CliOptions) => Promise<number>;

const handlers: Record<CommandName, () => Promise<Handler>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  status: async () => (await import('./commands/inspect.js')).statusCommand,
  explain: async () => (await import('./commands/inspect.js')).explainCommand,
  dag: async () => (await import('./commands/inspect.js')).dagCommand,
  report: async () => (await import('./commands/inspect.js')).reportCommand,
  verify: async () => (await import('./commands/maintain.js')).verifyCommand,
  gc: async () => (await import('./commands/maintain.js')).gcCommand,
  worker: async () => (await import('./commands/worker.js')).workerCommand,
};

function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('recon')
    .description('Declarative, cached pipelines for the training-data reconstruction study.')
    .version(packageVersion(), '--version', 'Print the version of recon and exit.')
    .exitOverride()
    .showHelpAfterError('(run recon --help for usage)');
  for (const spec of COMMANDS) {
    const command = program.command(spec.name).description(spec.description).exitOverride();
    for (const arg of spec.args) command.argument(arg);
    for (const option of OPTIONS.filter((o) => o.commands.includes(spec.name))) command.addOption(toOption(option));
    command.action(async (...values: unknown[]) => {
      const options = values[spec.args.length] as CliOptions;
      const args = values.slice(0, spec.args.length).flat() as string[];
      const handler = await handlers[spec.name]();
      setCode(await handler(args, options));
    });
  }
  return program;
}

function toOption(spec: (typeof OPTIONS)[number]): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.defaultValue) option.default(spec.defaultValue(), spec.defaultText);
  if (spec.kind === 'integer') option.argParser((value) => parseCount(spec.flags, value, spec.minimum ?? 0));
  if (spec.kind === 'list') option.argParser((value: string, previous: string[] = []) => [...previous, value]);
  return option;
}

function parseCount(flags: string, value: string, minimum: number): number {
  const flag = flags.split(' ')[0];
  const number = value.trim() === '' ? NaN : Number(value);
  if (!Number.isSafeInteger(number) || number < minimum) {
    throw new InputError(`${flag} expects a whole number of at least ${minimum}; found "${value}".`, { value, hint: `pass for example ${flag} ${Math.max(minimum, 1)}` });
  }
  return number;
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

/**
 * Exits with the code so far when the reader of stdout goes away (`recon status | head -3`), as
 * Unix tools do on SIGPIPE, instead of crashing on the unhandled EPIPE error.
 */
function exitQuietlyOnClosedStdout(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK);
  });
}

/** Prints an error to stderr and returns its exit code. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof DiagnosticError) {
    const texts = new Map<string, string>();
    for (const diagnostic of error.diagnostics) process.stderr.write(`${formatDiagnostic(diagnostic, sourceText(diagnostic.location.file, texts))}\n`);
    const count = error.diagnostics.length;
    process.stderr.write(`${count} error${count === 1 ? '' : 's'}; nothing was run.\n`);
    return EXIT_USAGE;
  }
  if (error instanceof InputError) {
    const where = error.location && !startsWithLocation(error.message, error.location) ? `${formatLocation(error.location)} ` : '';
    process.stderr.write(`error ${where}${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    return EXIT_USAGE;
  }
  process.stderr.write(`Internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_STAGE_FAILED;
}

function sourceText(file: string, texts: Map<string, string>): string | undefined {
  if (!texts.has(file)) {
    try {
      texts.set(file, readFileSync(file, 'utf8'));
    } catch {
      texts.set(file, '');
    }
  }
  return texts.get(file);
}

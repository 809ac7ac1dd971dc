/**
 * Every command and flag of `recon`, in one typed table. The command line parser, `--help` and
 * docs/cli.md are generated from it.
 */
import { availableParallelism } from 'node:os';

export type CommandName = 'run' | 'status' | 'explain' | 'dag' | 'report' | 'verify' | 'gc' | 'worker';

export interface CommandSpec {
  name: CommandName;
  /** Positional arguments in commander syntax: `<pipeline>`, `[pipelines...]`. */
  args: string[];
  description: string;
}

export interface OptionSpec {
  /** Commander flags, for example `--jobs <n>`. */
  flags: string;
  description: string;
  commands: CommandName[];
  /** Default as shown in help; the value itself comes from `defaultValue`. */
  defaultValue?: () => string | number | boolean | string[];
  defaultText?: string;
  /** Environment variable that sets the default. */
  env?: string;
  kind: 'boolean' | 'string' | 'integer' | 'list';
  choices?: string[];
  /** Smallest accepted value of an integer option; 0 when unset. */
  minimum?: number;
}

export const COMMANDS: CommandSpec[] = [
  { name: 'run', args: ['<pipeline>'], description: 'Run the instances of a pipeline that are out of date.' },
  { name: 'status', args: ['<pipeline>'], description: 'List the instances that would rerun, with the reason for each.' },
  { name: 'explain', args: ['<pipeline>', '<instance>'], description: 'Compare an instance\'s recorded key inputs with the current ones, field by field.' },
  { name: 'dag', args: ['<pipeline>'], description: 'Print the stage graph as Mermaid (default) or Graphviz DOT.' },
  { name: 'report', args: ['<pipeline>'], description: 'Print the path of the pipeline\'s HTML report.' },
  { name: 'verify', args: [], description: 'Re-hash every object in the cache; remove corrupt objects and the records that use them. Exits 1 when it found and repaired damage, 0 when the cache was intact.' },
  { name: 'gc', args: ['[pipelines...]'], description: 'Remove records and objects that no instance of the given pipelines (default: all of pipelines/) references.' },
  { name: 'worker', args: [], description: 'Run stage jobs that `recon run --executor bullmq` puts on Redis, until SIGINT or SIGTERM.' },
];

const ALL: CommandName[] = COMMANDS.map((command) => command.name);

export const OPTIONS: OptionSpec[] = [
  { flags: '--dry-run', description: 'Print the plan (one reason per instance) or what would be removed, and change nothing.', commands: ['run', 'gc'], kind: 'boolean' },
  { flags: '--force <name>', description: 'Rerun this stage or instance id even when up to date; repeatable.', commands: ['run'], kind: 'list', defaultValue: () => [] },
  { flags: '--only <stage>', description: 'Run only this stage and the instances it needs; repeatable.', commands: ['run'], kind: 'list', defaultValue: () => [] },
  { flags: '--jobs <n>', description: 'Number of instances that run at the same time.', commands: ['run'], kind: 'integer', minimum: 1, defaultValue: () => availableParallelism(), defaultText: 'number of CPU cores' },
  { flags: '--keep-going', description: 'After a failure, finish the branches that do not depend on it.', commands: ['run'], kind: 'boolean' },
  { flags: '--json', description: 'Print machine-readable JSON, one object per line, on stdout.', commands: ['run', 'status', 'explain', 'verify', 'gc'], kind: 'boolean' },
  { flags: '--wait <seconds>', description: 'Seconds to wait for another run that holds the cache lock; 0 fails at once.', commands: ['run', 'verify', 'gc'], kind: 'integer', defaultValue: () => 0 },
  { flags: '--format <format>', description: 'Graph format.', commands: ['dag'], kind: 'string', choices: ['mermaid', 'dot'], defaultValue: () => 'mermaid', defaultText: 'mermaid' },
  { flags: '--cache-dir <dir>', description: 'Cache directory (objects, run records, lock).', commands: ALL, kind: 'string', env: 'RECON_CACHE_DIR', defaultValue: () => process.env.RECON_CACHE_DIR || './cache', defaultText: './cache' },
  { flags: '--executor <name>', description: 'Where instances of custom and `cpu: true` stages run: worker threads here (local) or `recon worker` processes through Redis (bullmq).', commands: ['run'], kind: 'string', choices: ['local', 'bullmq'], defaultValue: () => 'local', defaultText: 'local' },
  { flags: '--redis <url>', description: 'Redis server of the BullMQ queue, for example redis://127.0.0.1:6379.', commands: ['run', 'worker'], kind: 'string', env: 'RECON_REDIS_URL', defaultValue: () => process.env.RECON_REDIS_URL ?? '', defaultText: 'none' },
  { flags: '--concurrency <n>', description: 'Stage jobs this worker runs at the same time, each in its own thread.', commands: ['worker'], kind: 'integer', minimum: 1, defaultValue: () => 1 },
  { flags: '--remote <url>', description: 'Shared cache in an S3-compatible bucket, s3://bucket/prefix: pull what the run needs, push what it computes.', commands: ['run', 'worker'], kind: 'string', env: 'RECON_REMOTE', defaultValue: () => process.env.RECON_REMOTE ?? '', defaultText: 'none' },
  { flags: '--endpoint <url>', description: 'URL of the S3-compatible service behind --remote; credentials come from the AWS SDK (AWS_ACCESS_KEY_ID and so on).', commands: ['run', 'worker'], kind: 'string', env: 'RECON_S3_ENDPOINT', defaultValue: () => process.env.RECON_S3_ENDPOINT ?? '', defaultText: 'none' },
  { flags: '--remote-read-only', description: 'Read from --remote but never write to it, for untrusted CI jobs.', commands: ['run'], kind: 'boolean' },
  { flags: '--lock-duration <ms>', description: 'Milliseconds a job stays locked to this worker without a renewal; a killed worker\'s job is queued again after about this long.', commands: ['worker'], kind: 'integer', minimum: 1, defaultValue: () => 30_000 },
  { flags: '--stalled-interval <ms>', description: 'Milliseconds between this worker\'s checks for jobs whose worker stopped renewing their lock.', commands: ['worker'], kind: 'integer', minimum: 1, defaultValue: () => 30_000 },
  { flags: '--artifacts-dir <dir>', description: 'Directory for human-facing copies of outputs and the report.', commands: ['run', 'report'], kind: 'string', defaultValue: () => './artifacts', defaultText: './artifacts' },
];

/** Parsed options of any command; absent flags take their defaults. */
export interface CliOptions {
  dryRun: boolean;
  force: string[];
  only: string[];
  jobs: number;
  keepGoing: boolean;
  json: boolean;
  wait: number;
  format: 'mermaid' | 'dot';
  cacheDir: string;
  artifactsDir: string;
  executor: 'local' | 'bullmq';
  redis: string;
  concurrency: number;
  /** Empty when unset, like `redis` and `endpoint`. */
  remote: string;
  endpoint: string;
  remoteReadOnly: boolean;
  lockDuration: number;
  stalledInterval: number;
}

/** Environment variables that recon reads besides the option defaults listed per command. */
const ENVIRONMENT: [string, string][] = [
  ['RECON_CACHE_DIR', 'Default of `--cache-dir`.'],
  ['RECON_DATA_DIR', 'Local mirror folder for dataset files: searched recursively by file name before any download.'],
  ['RECON_DOWNLOAD_DIR', 'Folder where downloaded dataset files are kept; `recon run` defaults it to `downloads` in its cache directory.'],
  ['RECON_OFFLINE', '`1` or `true` disables downloads: a dataset file must then be under RECON_DATA_DIR or already downloaded.'],
  ['CI', 'When set, progress is printed as plain lines on stderr instead of a progress bar, even on a terminal.'],
];

/** Renders the table as the markdown CLI reference in docs/cli.md. */
export function renderCliReference(): string {
  const lines = ['# `recon` command line', '', 'Generated from src/cli-options.ts; do not edit by hand.', '',
    'Exit codes: 0 done, 1 a stage failed, 2 invalid input or usage (including a held cache lock, and a cache or artifacts',
    'directory that cannot be written: no space, read-only or no permission), 130 interrupted.',
    'Results go to stdout; progress and diagnostics go to stderr.', '', '## Environment variables', '',
    '| Variable | Effect |', '| --- | --- |',
    ...ENVIRONMENT.map(([name, effect]) => `| \`${name}\` | ${effect} |`), ''];
  for (const command of COMMANDS) {
    lines.push(`## recon ${[command.name, ...command.args].join(' ')}`, '', command.description, '');
    const options = OPTIONS.filter((option) => option.commands.includes(command.name));
    if (options.length === 0) continue;
    lines.push('| Option | Description | Default |', '| --- | --- | --- |');
    for (const option of options) {
      const fallback = option.defaultText ?? (option.defaultValue ? JSON.stringify(option.defaultValue()) : '');
      const env = option.env ? ` (env ${option.env})` : '';
      const choices = option.choices ? ` One of: ${option.choices.join(', ')}.` : '';
      const minimum = option.minimum ? ` At least ${option.minimum}.` : '';
      lines.push(`| \`${option.flags}\` | ${option.description}${choices}${minimum} | ${fallback}${env} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

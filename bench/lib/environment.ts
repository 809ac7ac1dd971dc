/**
 * The machine a benchmark ran on, and the comparison tools found on it. Figures from different
 * machines or loads are not comparable, so every result carries this record.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  /** ISO date and time of the run. */
  date: string;
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  /** 1, 5 and 15 minute load averages at the start of the run. */
  loadStart: number[];
  /** The same at the end, filled in by the harness. */
  loadEnd?: number[];
}

/** Returns the machine record with the current load. */
export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadStart: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/** A Python interpreter with the modules a comparison needs, or why none was found. */
export type PythonLookup = { path: string } | { missing: string };

/**
 * Finds a Python that imports every module in `modules`. Debian's packages (python3-sklearn,
 * python3-xgboost, snakemake) install for /usr/bin/python3, which is often not the `python3` first
 * on PATH (pyenv), so that interpreter is tried first.
 */
export function findPython(modules: readonly string[]): PythonLookup {
  const candidates = ['/usr/bin/python3', 'python3'].filter((path) => !path.startsWith('/') || existsSync(path));
  const script = modules.map((name) => `import ${name}`).join('; ');
  for (const path of candidates) {
    const probe = spawnSync(path, ['-c', script], { encoding: 'utf8' });
    if (probe.status === 0) return { path };
  }
  const packages = modules.map((name) => DEBIAN_PACKAGES[name] ?? name).join(' ');
  return { missing: `no python3 imports ${modules.join(', ')}; install with: apt-get install -y ${packages}` };
}

const DEBIAN_PACKAGES: Record<string, string> = {
  numpy: 'python3-numpy',
  sklearn: 'python3-sklearn',
  xgboost: 'python3-xgboost',
  snakemake: 'snakemake',
};

/**
 * Runs one hot path long enough to profile it, then prints the functions with the most self time
 * from the V8 CPU profile. Usage, after `npm run build`:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/profile.js predict|sampler mlp|xgboost|tree [seconds]
 *   node dist/bench/profile.js summary /tmp/prof/<file>.cpuprofile
 */
import { readFile } from 'node:fs/promises';
import type { ModelFamily } from '../src/models/classifier.js';
import { loadBenchData, tiledBatch } from './lib/bench-data.js';
import { secondsSince } from './lib/measure.js';
import { FAMILIES, timeSampler, trainFamilies } from './lib/ours.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Returns the `top` functions by self time, one line each with its share of all sampled time. */
export async function summarize(path: string, top = 15): Promise<string> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, k) => {
    const frame = byId.get(id)!.callFrame;
    const file = frame.url.split('/').slice(-2).join('/');
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    const delta = profile.timeDeltas[k] ?? 0;
    selfMicros.set(name, (selfMicros.get(name) ?? 0) + delta);
    total += delta;
  });
  const rows = [...selfMicros.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return rows.map(([name, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`).join('\n');
}

async function runHotPath(mode: string, family: ModelFamily, seconds: number): Promise<void> {
  const data = loadBenchData();
  const trained = (await trainFamilies(data))[family];
  if (typeof trained === 'string') throw new Error(trained);
  const classifier = trained.classifier;
  const start = process.hrtime.bigint();
  if (mode === 'predict') {
    const rows = tiledBatch(data, 1000);
    const out = new Float32Array(1000 * classifier.numClasses);
    let calls = 0;
    while (secondsSince(start) < seconds) {
      classifier.predictProba(rows, 1000, out);
      calls++;
    }
    process.stdout.write(`${family} predictProba: ${((secondsSince(start) / (calls * 1000)) * 1e6).toFixed(3)} µs per row at batch 1000\n`);
  } else {
    let timing = await timeSampler(classifier, data, 200, 400, 1);
    while (secondsSince(start) < seconds) timing = await timeSampler(classifier, data, 200, 400, 1);
    process.stdout.write(`${family} sampler: ${timing.usPerChainStep.toFixed(3)} µs per chain step, predict share ${timing.predictShare.toFixed(2)}\n`);
  }
  classifier.dispose();
}

const [mode, argument, secondsText] = process.argv.slice(2);
if (mode === 'summary' && argument) {
  process.stdout.write(`${await summarize(argument)}\n`);
} else if ((mode === 'predict' || mode === 'sampler') && (FAMILIES as readonly string[]).includes(argument)) {
  await runHotPath(mode, argument as ModelFamily, Number(secondsText ?? 5));
} else {
  process.stderr.write('Usage: profile.js predict|sampler mlp|xgboost|tree [seconds] | profile.js summary <file.cpuprofile>\n');
  process.exitCode = 2;
}

/**
 * A corpus of malformed pipeline files (test/fixtures/robustness/pipelines/bad/). Each must make
 * `recon run` exit 2 with file:line:col, a message and a hint, and leave the cache directory
 * byte for byte as it was, whether it existed before or not.
 */
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { copyProject, fixtureRoot, recon, treeDigest } from '../fixtures/robustness/pipelines/harness.js';

/** File -> line:col of the first error and a part of its message. */
const CASES: Record<string, [string, string]> = {
  'alias-bomb.yaml': ['3:10', 'aliases expand to more than 1000 copies'],
  'alias-circular.yaml': ['2:10', 'Alias *loop is inside the value that anchor &loop names'],
  'alias-undefined.yaml': ['5:13', 'Alias *defualts refers to an undefined anchor'],
  'custom-module-missing.yaml': ['3:11', 'Stage module "../stages/no-such-stage.mjs" not found'],
  'cycle.yaml': ['4:21', 'Stages form a cycle: first -> second -> first'],
  'dataset-bad-sha256.yaml': ['4:13', 'sha256 must be 64 hexadecimal digits (a SHA-256) (found "12ab34")'],
  'dataset-two-sources.yaml': ['4:11', 'source must be exactly one of url, file and package'],
  'dataset-unknown-key.yaml': ['4:12', 'key "targt" is not a known dataset key'],
  'duplicate-stage.yaml': ['5:3', 'Key "noop" appears earlier in the same mapping'],
  'empty-axis.yaml': ['3:9', 'Matrix axis "seed" is empty'],
  'empty.yaml': ['1:1', 'The pipeline file is empty'],
  'foreach-missing-axis.yaml': ['7:21', 'Unknown matrix axis "sede" in foreach'],
  'foreach-not-list.yaml': ['7:14', '"foreach" must be a list of strings'],
  'input-axes-not-subset.yaml': ['10:21', 'Input "from" takes one instance of "gen"'],
  'input-name-typo.yaml': ['12:7', 'has no input "prts"'],
  'input-stage-typo.yaml': ['12:14', 'Unknown stage "gne" in input "parts"'],
  'inputs-not-mapping.yaml': ['6:13', '"inputs" must be a mapping; found a list'],
  'integer-as-float-exponent.yaml': ['17:22', 'Parameter "steps" of stage "sample" must be an integer between'],
  'interpolation-axis-not-iterated.yaml': ['8:21', 'refers to matrix axis "seed", which this stage does not iterate over'],
  'interpolation-unknown-root.yaml': ['4:22', 'no matrix axis or root named "labels"'],
  'interpolation-unknown-var.yaml': ['6:22', 'vars.labels.frist is not defined'],
  'kind-typo.yaml': ['7:11', 'Unknown stage kind "ingst"'],
  'matrix-nested-value.yaml': ['3:7', 'Invalid matrix value'],
  'matrix-wrong-type.yaml': ['2:9', 'Matrix axis "part" must be a list of values'],
  'merge-key-list.yaml': ['5:5', 'Merge key << takes a mapping or a list of mappings'],
  'model-bad-hyperparameter.yaml': ['4:44', 'epochs: expected a positive integer, found -3'],
  'model-unknown-family.yaml': ['12:24', 'Unknown model family "randomforest"'],
  'number-2-pow-64.yaml': ['9:10', 'Integer 18446744073709551616 is too large to be represented exactly'],
  'number-nan.yaml': ['2:14', 'Number .nan is not finite'],
  'number-too-large-float.yaml': ['8:24', 'Number 1e400 is not finite'],
  'only-comments.yaml': ['1:1', 'The pipeline file is empty'],
  'param-name-typo.yaml': ['8:15', 'has no parameter "delayMS"'],
  'param-wrong-type.yaml': ['9:10', 'Parameter "n" of stage "gen" must be an integer; found "a lot"'],
  'prior-unknown-kind.yaml': ['7:15', 'Invalid prior.kind "gausian"'],
  'publish-not-boolean.yaml': ['4:14', '"publish" must be true or false'],
  'report-unknown-stage.yaml': ['4:9', 'Unknown report stage "nop"'],
  'self-input.yaml': ['5:13', 'Stages form a cycle: merge -> merge'],
  'shell-without-outputs.yaml': ['3:10', 'Shell stage "hello" has no "outputs"'],
  'stage-key-typo.yaml': ['7:5', '"forech"'],
  'stage-name-invalid.yaml': ['2:3', 'Invalid stage name "my stage"'],
  'stage-uses-and-run.yaml': ['2:3', 'needs exactly one of "uses" (a stage kind) or "run"'],
  'syntax-bad-indent.yaml': ['5:1', 'Invalid YAML: All mapping items must start at the same column'],
  'syntax-unclosed-flow.yaml': ['4:1', 'Invalid YAML: Flow sequence in block collection'],
  'tabs.yaml': ['4:1', 'Invalid YAML: Tabs are not allowed as indentation'],
  'top-level-list.yaml': ['2:1', 'A pipeline must be a mapping with a "stages" key; found a list'],
  'top-level-scalar.yaml': ['1:1', 'A pipeline must be a mapping with a "stages" key; found a string'],
  'top-level-typo.yaml': ['2:1', 'Unknown top-level key "stage"'],
  'two-documents.yaml': ['3:1', 'the file contains more than one document'],
};

let dir: string;
let populated: Record<string, string> | undefined;

beforeAll(() => {
  // A project whose cache contains a finished run, with the corpus in bad/ beside its stages.
  dir = copyProject('work');
  expect(recon(dir, 'run', 'pipeline.yaml', '--jobs', '2').code).toBe(0);
  cpSync(join(fixtureRoot, 'bad'), join(dir, 'bad'), { recursive: true });
  populated = treeDigest(join(dir, 'cache'));
});

describe('malformed pipeline corpus', () => {
  test('corpus and table agree', () => {
    const files = readdirSync(join(fixtureRoot, 'bad')).filter((name) => name.endsWith('.yaml')).sort();
    expect(files).toEqual(Object.keys(CASES).sort());
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  const entries = Object.entries(CASES);
  entries.forEach(([file, [position, message]], index) => {
    test(file, () => {
      // Alternate between the populated cache and a cache directory that does not exist yet.
      const cacheDir = index % 2 === 0 ? 'cache' : `fresh-cache-${index}`;
      const before = treeDigest(join(dir, cacheDir));
      const result = recon(dir, 'run', join('bad', file), '--cache-dir', cacheDir);
      expect(result.code, result.stderr).toBe(2);
      const first = result.stderr.split('\n')[0];
      expect(first).toContain(`error bad/${file}:${position} `);
      expect(first).toContain(message);
      expect(result.stderr).toMatch(/^ {2}hint: \S/m);
      expect(result.stderr).not.toContain('Internal error');
      expect(result.stdout).toBe('');
      expect(treeDigest(join(dir, cacheDir))).toEqual(before);
      if (cacheDir === 'cache') expect(before).toEqual(populated);
      else expect(before).toBeUndefined();
    });
  });
});

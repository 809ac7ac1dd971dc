/** The parsed form of a pipeline file. Values are plain JSON; positions live in `source`. */
import type { JsonObject, JsonValue } from '../stage-api.js';
import type { SourceMap } from './source-map.js';

/** One matrix axis: its name and the values it sweeps, in file order. */
export interface Axis {
  name: string;
  values: JsonValue[];
}

/** `inputs: { name: stage }` (one matching instance) or `inputs: { name: stage[*] }` (all). */
export interface InputWire {
  name: string;
  stage: string;
  many: boolean;
}

export interface StageSpec {
  name: string;
  /** Built-in kind (`sample`) or a custom module path relative to the pipeline (`./my.mjs`). */
  uses?: string;
  /** Shell command of a shell stage. */
  run?: string;
  /** Matrix axes the stage iterates over, in the order written. */
  foreach: string[];
  inputs: InputWire[];
  /** Parameters as written in the pipeline, before defaults and interpolation. */
  params: JsonObject;
  /** Also copy the outputs to artifacts/<pipeline>/. */
  publish: boolean;
  /** Shell stages: files, relative to the pipeline, whose contents enter the cache key. */
  deps: string[];
  /** Shell stages: output name -> file name inside the instance's output directory. */
  outputs: Record<string, string>;
  description?: string;
}

export interface Pipeline {
  name: string;
  /** Path of the pipeline file as the user gave it. */
  file: string;
  /** Absolute directory of the pipeline file; custom stage modules and deps resolve against it. */
  dir: string;
  /** SHA-256 of the file's bytes. */
  hash: string;
  description?: string;
  vars: JsonObject;
  datasets: JsonObject;
  models: JsonObject;
  matrix: Axis[];
  stages: StageSpec[];
  /** Stage whose `report-data.json` becomes the HTML report. */
  report?: string;
  source: SourceMap;
}

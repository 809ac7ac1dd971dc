/** Builds upstream InputRefs from files written in a temporary directory, for stage tests. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InputRef, JsonObject } from '../../src/stage-api.js';

/** Writes each object as a JSON file and returns an InputRef listing them. */
export async function jsonInput(stage: string, files: Record<string, unknown>, params: JsonObject = {}): Promise<InputRef> {
  const dir = await mkdtemp(join(tmpdir(), `recon-models-${stage}-`));
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    await writeFile(paths[name], JSON.stringify(content));
  }
  return { id: `${stage}[test]`, stage, coords: {}, params, files: paths, metrics: {} };
}

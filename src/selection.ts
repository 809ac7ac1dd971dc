/** `--only` and `--force` selections: which instances a run considers. */
import type { Dag, Instance } from './dag.js';
import { suggestName } from './diagnostic.js';
import { InputError } from './errors.js';

/**
 * Returns the instances of the `only` stages and everything they need, in dependency order (all
 * instances when `only` is empty). Raises InputError for names that match no stage or instance.
 */
export function selectInstances(dag: Dag, only: string[], force: string[]): Instance[] {
  const stages = [...dag.byStage.keys()];
  for (const name of only) {
    if (!dag.byStage.has(name)) throw new InputError(`--only: unknown stage "${name}".`, { value: name, hint: suggestName(name, stages, 'stages') });
  }
  for (const name of force) {
    if (!dag.byStage.has(name) && !dag.byId.has(name)) {
      throw new InputError(`--force: "${name}" is neither a stage nor an instance id.`, { value: name, hint: suggestName(name, stages, 'stages') + '; or an instance id as printed by recon status' });
    }
  }
  if (only.length === 0) return dag.instances;
  const needed = new Set<string>();
  const pending = only.flatMap((name) => dag.byStage.get(name)!.map((instance) => instance.id));
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    for (const input of dag.byId.get(id)!.inputs) pending.push(...input.ids);
  }
  return dag.instances.filter((instance) => needed.has(instance.id));
}

/**
 * Why an instance reruns: the recorded key inputs against the current ones, field by field.
 */
import { canonicalJson } from './canonical-json.js';
import type { KeyInputs } from './hashing.js';

export type RerunReason =
  | { reason: 'no-run-record' }
  | { reason: 'record-format-outdated'; found: string }
  | { reason: 'output-missing'; path: string }
  | { reason: 'forced' }
  | { reason: 'upstream-pending'; input: string; ids: string[] }
  | { reason: 'input-changed'; input: string }
  | { reason: 'params-changed'; path: string; before: string; after: string }
  | { reason: 'code-changed' }
  | { reason: 'command-changed'; before: string; after: string }
  | { reason: 'deps-changed'; file: string }
  | { reason: 'library-changed'; name: string; before: string; after: string }
  | { reason: 'kind-changed'; before: string; after: string }
  | { reason: 'format-changed'; before: number; after: number };

/** Lists every difference between the key inputs of a previous run and the current ones. */
export function diffKeyInputs(before: KeyInputs, after: KeyInputs): RerunReason[] {
  const reasons: RerunReason[] = [];
  if (before.format !== after.format) reasons.push({ reason: 'format-changed', before: before.format, after: after.format });
  if (before.kind !== after.kind) reasons.push({ reason: 'kind-changed', before: before.kind, after: after.kind });
  if (before.code !== after.code) reasons.push({ reason: 'code-changed' });
  if (before.command !== after.command) reasons.push({ reason: 'command-changed', before: before.command ?? '', after: after.command ?? '' });
  for (const file of changedKeys(before.deps ?? {}, after.deps ?? {})) reasons.push({ reason: 'deps-changed', file });
  for (const [path, old, now] of diffValues('params', before.params, after.params)) reasons.push({ reason: 'params-changed', path, before: old, after: now });
  for (const input of changedKeys(before.inputs, after.inputs)) reasons.push({ reason: 'input-changed', input });
  for (const name of changedKeys(before.libraries, after.libraries)) {
    reasons.push({ reason: 'library-changed', name, before: before.libraries[name] ?? 'none', after: after.libraries[name] ?? 'none' });
  }
  return reasons;
}

function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => canonicalJson(before[name]) !== canonicalJson(after[name])).sort();
}

/** Flattens two values to dotted paths and returns [path, before, after] for each difference. */
function diffValues(path: string, before: unknown, after: unknown): [string, string, string][] {
  const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isPlain(before) && isPlain(after)) {
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return names.flatMap((name) => diffValues(`${path}.${name}`, before[name], after[name]));
  }
  if (canonicalJson(before) === canonicalJson(after)) return [];
  return [[path, showValue(before), showValue(after)]];
}

function showValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'string') return value;
  return canonicalJson(value);
}

/** Describes a reason in one line, as `status`, `explain` and `run --dry-run` print it. */
export function describeReason(reason: RerunReason): string {
  switch (reason.reason) {
    case 'no-run-record':
      return 'no run record (never ran with these inputs)';
    case 'record-format-outdated':
      return `run record is in an outdated format (${reason.found}); it is not trusted`;
    case 'output-missing':
      return `output ${reason.path} is missing from the cache`;
    case 'forced':
      return 'forced by --force';
    case 'upstream-pending':
      return `input ${reason.input} will be recomputed (${listIds(reason.ids)})`;
    case 'input-changed':
      return `input ${reason.input} changed`;
    case 'params-changed':
      return `${reason.path} ${reason.before} -> ${reason.after}`;
    case 'code-changed':
      return 'stage code changed';
    case 'command-changed':
      return `command changed: ${reason.before} -> ${reason.after}`;
    case 'deps-changed':
      return `dep ${reason.file} changed`;
    case 'library-changed':
      return `library ${reason.name} ${reason.before} -> ${reason.after}`;
    case 'kind-changed':
      return `stage kind ${reason.before} -> ${reason.after}`;
    case 'format-changed':
      return `engine format ${reason.before} -> ${reason.after}`;
    default: {
      const unknown: never = reason;
      return String(unknown);
    }
  }
}

/** Lists up to three ids, then how many more. */
function listIds(ids: string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
}

/**
 * Checks of a parsed YAML document that the yaml library does not report as errors. They find
 * aliases that resolve to nothing or to their own ancestor, and merge keys (`<<`) whose value is
 * not a mapping. They also find numbers that JSON, and so the cache key, cannot carry exactly.
 */
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostic.js';
import type { SourceMap } from './source-map.js';

/** Returns a diagnostic per misused alias or merge key and per out-of-range number. */
export function checkDocument(document: Document, source: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (node: Node, message: string, hint: string): void => {
    const range = node.range ?? [0, 1];
    out.push({ severity: 'error', message, location: source.span(range[0], range[1]), hint });
  };
  visit(document, {
    Alias(_key, node, path) {
      const target = node.resolve(document);
      if (target === undefined) {
        at(node, `Alias *${node.source} refers to an undefined anchor.`, `define &${node.source} on a value before this alias, or write the value out`);
      } else if (path.includes(target)) {
        at(node, `Alias *${node.source} is inside the value that anchor &${node.source} names, so that value would contain itself.`, 'move the alias out of the anchored value, or write the nested value out');
      }
    },
    Pair(_key, pair) {
      if (!isScalar(pair.key) || (pair.key.source !== '<<' && pair.key.value !== '<<')) return;
      const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(document) : node);
      const value = resolve(pair.value);
      const sources = isSeq(value) ? value.items.map(resolve) : [value];
      if (value !== undefined && sources.every((item) => isMap(item))) return;
      at(pair.key as Node, 'Merge key << takes a mapping or a list of mappings, for example <<: *defaults.', 'point << at an anchored mapping (&defaults { ... }), or write the keys out');
    },
    Scalar(_key, node) {
      if (typeof node.value !== 'number') return;
      const text = node.source ?? String(node.value);
      if (!Number.isFinite(node.value)) {
        at(node, `Number ${text} is not finite.`, 'use a finite number: JSON, which cache keys are built from, cannot represent infinity or NaN');
      } else if (/^[-+]?[0-9_]+$/.test(text) && !Number.isSafeInteger(node.value)) {
        at(node, `Integer ${text} is too large to be represented exactly (the limit is ${Number.MAX_SAFE_INTEGER}).`, 'use a smaller integer');
      }
    },
  });
  return out;
}

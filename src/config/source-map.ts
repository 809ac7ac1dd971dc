/**
 * Maps a path inside the parsed YAML document (`['stages', 'sample', 'params', 'steps']`) to the
 * file position of its key or value, so any later check can point at what the user wrote.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Diagnostic, Location } from '../diagnostic.js';

export type YamlPath = (string | number)[];

export class SourceMap {
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Location of an offset range in the file. */
  span(start: number, end: number): Location {
    const { line, col } = this.lineCounter.linePos(start);
    return { file: this.file, line, column: col, length: Math.max(1, end - start) };
  }

  /**
   * Location of the value (or key) at `path`; when the path does not exist, the location of its
   * deepest existing ancestor.
   */
  locate(path: YamlPath, part: 'key' | 'value' = 'value'): Location {
    let node: unknown = this.document.contents;
    let keyNode: unknown;
    for (const segment of path) {
      const pair = findPair(node, segment);
      if (pair === undefined) break;
      keyNode = pair.key;
      node = pair.value;
    }
    const target = part === 'key' && keyNode !== undefined ? keyNode : (node ?? keyNode);
    const range = (target as Node | undefined)?.range;
    if (!range) return { file: this.file, line: 1, column: 1, length: 1 };
    // Block collections span many lines; point at their first line only.
    const end = isScalar(target) ? range[1] : Math.min(range[1], this.lineEnd(range[0]));
    return this.span(range[0], end);
  }

  /** Builds an error diagnostic at `path`. */
  error(path: YamlPath, message: string, hint: string, part: 'key' | 'value' = 'value'): Diagnostic {
    return { severity: 'error', message, location: this.locate(path, part), hint };
  }

  private lineEnd(offset: number): number {
    const end = this.text.indexOf('\n', offset);
    return end === -1 ? this.text.length : end;
  }
}

function findPair(node: unknown, segment: string | number): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
    return pair ? { key: pair.key, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}

/**
 * Diagnostics: located messages about a pipeline file, printed as `error file:line:col message`
 * with a source excerpt, a caret under the offending text and a hint.
 */
import { distance } from 'fastest-levenshtein';

/** A span in a user's file; line and column are 1-based, length in characters (at least 1). */
export interface Location {
  file: string;
  line: number;
  column: number;
  length: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  location: Location;
  /** Advice on the fix, for example the closest valid name. */
  hint?: string;
}

/** Raised when a pipeline has errors; the command line prints them and exits with code 2. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'DiagnosticError';
  }
}

/** Formats a diagnostic with an excerpt of `sourceText` (the file's text) when it is known. */
export function formatDiagnostic(diagnostic: Diagnostic, sourceText?: string): string {
  const { file, line, column, length } = diagnostic.location;
  const lines = [`${diagnostic.severity} ${file}:${line}:${column} ${diagnostic.message}`];
  const sourceLine = sourceText?.split(/\r?\n/)[line - 1];
  if (sourceLine !== undefined) {
    const gutter = String(line).length + 3;
    const visible = sourceLine.replace(/\t/g, ' ');
    const span = Math.max(1, Math.min(length, visible.length - column + 1));
    lines.push(`${String(line).padStart(gutter)} | ${visible}`);
    lines.push(`${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, column - 1))}${'^'.repeat(span)}`);
  }
  if (diagnostic.hint) lines.push(`  hint: ${diagnostic.hint}`);
  return lines.join('\n');
}

/** Returns the candidate closest to `name` by edit distance, if it is plausibly a typo. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}

/** Builds a hint naming the closest valid name and listing the valid ones. */
export function suggestName(name: string, candidates: string[], what: string): string {
  const closest = closestName(name, candidates);
  let list = candidates.slice(0, 12).join(', ');
  if (candidates.length === 0) list = 'none';
  if (candidates.length > 12) list += `, ... (${candidates.length - 12} more)`;
  return closest !== undefined ? `use "${closest}" (closest match); ${what}: ${list}` : `${what}: ${list}`;
}

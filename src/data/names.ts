/** Hints for misspelled keys and column names. */
import { closest, distance } from 'fastest-levenshtein';

/** Returns a hint naming the closest candidate when it is a plausible typo, else listing the candidates. */
export function suggestName(name: string, candidates: string[]): string {
  if (candidates.length === 0) return 'there are no valid names here';
  const best = closest(name, candidates);
  if (distance(name, best) <= Math.max(2, Math.floor(name.length / 3))) return `did you mean "${best}"?`;
  const listed = candidates.slice(0, 20).join(', ');
  return `valid names: ${listed}${candidates.length > 20 ? ', ...' : ''}`;
}

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

/** Maximum length, in characters, of a value that error messages repeat in full. */
const MAX_SHOWN = 120;

/** Returns `text` for an error message, cut to its start when long, so a 10 MB row gives a short message. */
export function shortValue(text: string): string {
  if (text.length <= MAX_SHOWN) return text;
  return `${text.slice(0, MAX_SHOWN)}... (${text.length} characters)`;
}

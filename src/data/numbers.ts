/** Strict parsing of numeric cells: plain decimal or exponent notation only. */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** Returns the number in a trimmed cell, or undefined when the cell is not a finite decimal number. */
export function parseNumber(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** True for NaN and infinity literals (`NaN`, `inf`, `-Infinity`, any case). */
export function isNonFiniteLiteral(text: string): boolean {
  return NON_FINITE.test(text);
}

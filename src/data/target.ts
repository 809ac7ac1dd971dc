/**
 * Mapping from raw target values to class labels. A rule is a comparison (`"== 0"`, `"!= 0"`,
 * `"> 0"`, `">= 1"`, `"< 5"`, `"<= 4"`), a membership test (`"in [1, 2]"` or a YAML list: the
 * raw value equals one of the listed values, not an interval), or a raw value matched exactly.
 * Values compare as numbers when both sides are numbers ("1.0" matches "== 1"), else as strings.
 */
import { InputError } from '../errors.js';
import type { ClassRuleText, TargetSpec } from './spec.js';
import { parseNumber } from './numbers.js';

type Operator = '==' | '!=' | '>' | '>=' | '<' | '<=';

type ClassRule = { kind: 'compare'; op: Operator; value: string } | { kind: 'in'; values: string[] };

/** Compiled target mapping: class labels in index order and a function from raw value to index. */
export interface ClassMapping {
  classes: string[];
  /** Returns the class index of a trimmed raw value, or -1 when no rule matches. */
  classify(raw: string): number;
  /** The mapping as written, for error messages. */
  describe(): string;
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

function parseRule(label: string, text: ClassRuleText, column: string): ClassRule {
  if (Array.isArray(text)) return { kind: 'in', values: text.map((item) => String(item)) };
  if (typeof text !== 'string') return { kind: 'compare', op: '==', value: String(text) };
  const membership = /^in\s*\[(.*)\]$/.exec(text.trim());
  if (membership) return { kind: 'in', values: membership[1].split(',').map(unquote) };
  const comparison = /^(==|!=|>=|<=|>|<)\s*(.*)$/.exec(text.trim());
  if (!comparison) return { kind: 'compare', op: '==', value: text.trim() };
  const op = comparison[1] as Operator;
  const value = unquote(comparison[2]);
  if (op !== '==' && op !== '!=' && parseNumber(value) === undefined) {
    throw new InputError(`target.classes.${label}: "${text}" compares ${column} with a value that is not a number`, {
      value: text,
      hint: 'use a number after <, <=, > or >=, for example "> 0"',
    });
  }
  return { kind: 'compare', op, value };
}

function equal(raw: string, value: string): boolean {
  const a = parseNumber(raw);
  const b = parseNumber(value);
  return a !== undefined && b !== undefined ? a === b : raw === value;
}

function matches(rule: ClassRule, raw: string): boolean {
  if (rule.kind === 'in') return rule.values.some((value) => equal(raw, value));
  if (rule.op === '==') return equal(raw, rule.value);
  if (rule.op === '!=') return !equal(raw, rule.value);
  const x = parseNumber(raw);
  if (x === undefined) return false;
  const bound = parseNumber(rule.value)!;
  if (rule.op === '>') return x > bound;
  if (rule.op === '>=') return x >= bound;
  if (rule.op === '<') return x < bound;
  return x <= bound;
}

/** Compiles `target.classes`. Without rules, the distinct `rawValues` (all observed target values) become the classes. */
export function compileTarget(target: TargetSpec, rawValues: string[], file: string): ClassMapping {
  if (target.classes === undefined) return distinctValueClasses(rawValues);
  const labels = Object.keys(target.classes);
  const rules = labels.map((label) => parseRule(label, target.classes![label], target.column));
  const text = labels.map((label) => `${label}: ${JSON.stringify(target.classes![label])}`).join(', ');
  return {
    classes: labels,
    describe: () => `{ ${text} }`,
    classify(raw: string): number {
      const hits = rules.flatMap((rule, index) => (matches(rule, raw) ? [index] : []));
      if (hits.length > 1) {
        const both = hits.map((index) => labels[index]).join('" and "');
        throw new InputError(`${file}: target value "${raw}" matches more than one class ("${both}")`, {
          location: { file },
          value: raw,
          hint: `make the rules in target.classes { ${text} } exclusive`,
        });
      }
      return hits.length === 1 ? hits[0] : -1;
    },
  };
}

/** Makes one class per distinct raw value. Numbers are grouped by value and sorted numerically, other strings sorted by code unit. */
function distinctValueClasses(rawValues: string[]): ClassMapping {
  const numeric = rawValues.every((raw) => parseNumber(raw) !== undefined);
  const key = (raw: string) => (numeric ? String(parseNumber(raw)) : raw);
  const distinct = [...new Set(rawValues.map(key))];
  if (numeric) distinct.sort((a, b) => Number(a) - Number(b));
  else distinct.sort();
  const index = new Map(distinct.map((label, i) => [label, i]));
  return {
    classes: distinct,
    describe: () => `every distinct value (${distinct.join(', ')})`,
    classify: (raw: string) => index.get(key(raw)) ?? -1,
  };
}

import { SegmataError, type Issue } from '../errors.js';

/**
 * How large a segment definition may be. Every definition the engine stores, estimates or
 * takes live stays inside these bounds, so none can exhaust the stack (validation and
 * compilation recurse), the SQL parser, or the time and memory of one evaluation.
 */
export const DEFINITION_LIMITS = {
  /** Groups and all/any/not conditions nested inside one another. */
  maxDepth: 32,
  /** Blocks plus conditions (comparisons and all/any/not), counted over the whole definition. */
  maxNodes: 1_000,
  /** Values of one `in` / `not_in` list. */
  maxListValues: 10_000,
  /** Characters of any string (values, names, attribute paths, ids). */
  maxStringLength: 4_096,
  /** A count's value: a safe integer (2^53 - 1). */
  maxCount: Number.MAX_SAFE_INTEGER,
  /** The longest duration (`window.last`, `in_last`): 100 years (of 365.25 days), per unit. */
  maxDuration: { minutes: 52_596_000, hours: 876_600, days: 36_525, weeks: 5_217 },
  // Dates and date-times follow the records' one set of rules (years 0001-9999, offsets within
  // ±14:00): src/schema/instant.ts, which parseInstant applies.
} as const;

/**
 * JSON nesting of any kind (objects and arrays). A definition at the depth limit nests about
 * 2 × 32 + 8 levels; this only stops garbage (and cyclic objects) before anything recurses.
 */
const MAX_JSON_DEPTH = 2 * DEFINITION_LIMITS.maxDepth + 16;

/** Stop after this many problems: a huge bad input must not make a huge answer. */
const MAX_ISSUES = 20;

/** Keys whose value is one or more conditions, or nested blocks. */
const CONDITION_LISTS = new Set(['all', 'any']);

/** Half of a UTF-16 surrogate pair without its other half: text no database can store as it is. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const fmt = (n: number): string => n.toLocaleString('en-US');

function kindOf(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'object' && v !== null) return (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object';
  return typeof v;
}

/** A plain JSON object or array (not a Date, Map, class instance...). */
function isPlainContainer(v: object): boolean {
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

interface Entry {
  value: unknown;
  path: string;
  /** JSON nesting level of `value`. */
  json: number;
  /** Groups and all/any/not conditions enclosing `value`. */
  depth: number;
}

const child = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/**
 * The size bounds of DEFINITION_LIMITS, checked over the raw JSON with an explicit stack
 * (no recursion), before the JSON schema or anything else that recurses reads the input.
 * Also refuses what is not JSON at all: non-finite numbers, functions, bigints, Dates,
 * cycles, strings that are not well-formed Unicode. Throws `invalid_definition` with the
 * path of each field at fault.
 */
export function checkDefinitionBounds(input: unknown): void {
  const issues: Issue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  let nodes = 0;
  let nodesReported = false;
  const stack: Entry[] = [{ value: input, path: '', json: 0, depth: 0 }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { value, path, json, depth } = stack.pop()!;
    switch (typeof value) {
      case 'string':
        if (value.length > DEFINITION_LIMITS.maxStringLength) {
          add(path, `is ${fmt(value.length)} characters long; at most ${fmt(DEFINITION_LIMITS.maxStringLength)} are allowed`);
        } else if (LONE_SURROGATE.test(value)) {
          add(path, 'is not well-formed Unicode text (it holds a lone surrogate)');
        }
        continue;
      case 'number':
        if (!Number.isFinite(value)) add(path, `must be a finite number, got ${String(value)}`);
        continue;
      case 'boolean':
        continue;
      case 'object':
        break;
      default:
        add(path, `is not a JSON value (${kindOf(value)})`);
        continue;
    }
    if (value === null) continue;
    if (!isPlainContainer(value)) {
      add(path, `is not a JSON value (${kindOf(value)})`);
      continue;
    }
    if (json >= MAX_JSON_DEPTH) {
      add(path, `is nested more than ${MAX_JSON_DEPTH} levels deep`);
      continue;
    }
    if (Array.isArray(value)) {
      const last = path.slice(path.lastIndexOf('.') + 1);
      if (last === 'value' && value.length > DEFINITION_LIMITS.maxListValues) {
        add(path, `has ${fmt(value.length)} values; a list holds at most ${fmt(DEFINITION_LIMITS.maxListValues)}`);
        continue;
      }
      // Elements of `blocks` are blocks, of `all` / `any` conditions.
      const counted = last === 'blocks' || CONDITION_LISTS.has(last);
      if (counted) {
        nodes += value.length;
        if (nodes > DEFINITION_LIMITS.maxNodes && !nodesReported) {
          nodesReported = true;
          add(path, `the definition has more than ${fmt(DEFINITION_LIMITS.maxNodes)} blocks and conditions in all`);
          continue;
        }
      }
      for (let i = value.length - 1; i >= 0; i--) {
        if (!(i in value)) add(`${path}[${i}]`, 'is not a JSON value (an empty array slot)');
        else stack.push({ value: value[i], path: `${path}[${i}]`, json: json + 1, depth });
      }
      continue;
    }
    const keys = Object.keys(value);
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      if (key.length > DEFINITION_LIMITS.maxStringLength) {
        add(path, `has a field name ${fmt(key.length)} characters long; at most ${fmt(DEFINITION_LIMITS.maxStringLength)} are allowed`);
        continue;
      }
      const v = (value as Record<string, unknown>)[key];
      // An absent optional field may be spelled `undefined` by a JavaScript caller, as JSON.stringify reads it.
      if (v === undefined) continue;
      const at = child(path, key);
      // Nesting: a group's blocks (the query's own list is the top level), and all/any/not.
      const nests = CONDITION_LISTS.has(key) || key === 'not' || (key === 'blocks' && path !== 'query');
      const d = nests ? depth + 1 : depth;
      if (nests && d > DEFINITION_LIMITS.maxDepth) {
        add(at, `nests groups and conditions more than ${DEFINITION_LIMITS.maxDepth} levels deep`);
        continue;
      }
      // `where` and `not` hold one condition each.
      if (key === 'where' || key === 'not') nodes += 1;
      stack.push({ value: v, path: at, json: json + 1, depth: d });
    }
  }
  if (nodes > DEFINITION_LIMITS.maxNodes && !nodesReported) {
    add('query', `the definition has more than ${fmt(DEFINITION_LIMITS.maxNodes)} blocks and conditions in all`);
  }
  if (issues.length > 0) throw SegmataError.fromIssues('invalid_definition', 'invalid segment definition', issues);
}

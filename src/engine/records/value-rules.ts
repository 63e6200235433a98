import { checkDate, checkDateTime } from '../../schema/instant.js';
import type { AttributeType } from '../../schema/types.js';

/**
 * What a record value may be, by its attribute's declared type — the same in API bodies, CSV and
 * JSONL imports. Two sources, two strictnesses:
 *
 * - JSON values (API bodies, JSONL lines) are never coerced: a number attribute takes a JSON
 *   number, a boolean `true`/`false`, text and dates JSON strings. `"5"`, `"yes"`, `1` for a
 *   boolean or `5` for text are refused.
 * - CSV cells are text by nature and are read by the declared type: numbers in decimal notation,
 *   booleans as true/false, yes/no or 1/0, dates and date-times by the grammar of `schema/instant`.
 *
 * Either way a number is finite and within ±(2^53 − 1): every double beyond is an integer, but
 * not every integer beyond is a double, so a larger one (9007199254740993) would be rounded.
 *
 * The import validates staged text with set-based SQL (the dialect's checking cast); `textProblem`
 * is that check's JS form, which words the reason for a refused value, and a test holds the two
 * to agreement.
 */

/** The largest magnitude a number value may have: Number.MAX_SAFE_INTEGER, 2^53 − 1. */
export const MAX_NUMBER = Number.MAX_SAFE_INTEGER;

const MAX_SHOWN = 60;

/** A value as a message quotes it, cut when long. */
export function shown(text: string): string {
  return JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text);
}

const EXPECTED: Record<AttributeType, string> = {
  string: 'text (a JSON string)',
  number: 'a number',
  boolean: 'true or false',
  date: 'a date as a JSON string (YYYY-MM-DD)',
  datetime: 'a date-time as a JSON string (ISO 8601, e.g. 2024-05-01T09:30:00Z)',
};

function found(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `the text ${shown(value)}`;
    case 'number':
    case 'bigint':
      return `the number ${String(value)}`;
    case 'boolean':
      return String(value);
    default:
      return `a ${typeof value}`;
  }
}

/** Why a number cannot be stored as given, if it cannot. */
export function numberProblem(n: number): string | undefined {
  if (Number.isNaN(n)) return 'NaN is not a number';
  if (!Number.isFinite(n)) return 'the number is not finite (beyond ±1.8e308)';
  if (Math.abs(n) > MAX_NUMBER) return `the number is beyond ±${MAX_NUMBER} (2^53 − 1): larger numbers cannot be stored exactly`;
  return undefined;
}

/**
 * Why a JSON value (not null: null is "no value") cannot be taken for an attribute of `type`,
 * or undefined. Only the JSON type and the number range are checked here; the content of text
 * (a date's calendar, an interaction type) is checked with the staged rows.
 */
export function jsonValueProblem(type: AttributeType, value: unknown): string | undefined {
  switch (type) {
    case 'number':
      if (typeof value === 'number') return numberProblem(value);
      break;
    case 'boolean':
      if (typeof value === 'boolean') return undefined;
      break;
    default:
      if (typeof value === 'string') return undefined;
  }
  return `expected ${EXPECTED[type]}, found ${found(value)}`;
}

/**
 * Control characters (C0 and DEL, as in a segment's or key's name): a NUL, a line break, a tab or
 * a terminal escape in an id would garble lists, CSV lines and the CLI's output, and no real id
 * holds one. Text attributes may hold them (a quoted CSV cell keeps its line breaks).
 */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Why text cannot be an id (or a reference to one), or undefined. */
export function identifierProblem(text: string): string | undefined {
  return CONTROL_CHARACTER.test(text) ? `${shown(text)} is not an id: it holds control characters (line breaks, tabs, escapes)` : undefined;
}

/** The whitespace DuckDB's numeric cast skips around a number (its `StringUtil::CharacterIsSpace`). */
const SPACES = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;
/** Decimal notation, as the numeric cast reads it, without its digit separators (`1_000`). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** `trim` in the SQL trims spaces only. */
const trimSpaces = (text: string): string => text.replace(/^ +| +$/g, '');

/**
 * Why staged text (a CSV cell, never blank) is not a value of `type`, or undefined: the JS form of
 * the import's SQL checks (see above). Typed values may carry spaces around them.
 */
export function textProblem(type: AttributeType, text: string): string | undefined {
  switch (type) {
    case 'string':
      return undefined;
    case 'number': {
      const bare = text.replace(SPACES, '');
      if (!DECIMAL.test(bare)) return `${shown(text)} is not a number`;
      const problem = numberProblem(Number(bare));
      return problem ? `${shown(text)}: ${problem}` : undefined;
    }
    case 'boolean':
      return ['true', 'false', 'yes', 'no', '1', '0'].includes(trimSpaces(text).toLowerCase())
        ? undefined
        : `${shown(text)} is not a boolean (use true/false, yes/no or 1/0)`;
    case 'date': {
      const checked = checkDate(trimSpaces(text));
      return checked.ok ? undefined : `${shown(text)} is not a date (${checked.reason})`;
    }
    case 'datetime': {
      const checked = checkDateTime(trimSpaces(text));
      return checked.ok ? undefined : `${shown(text)} is not a datetime (${checked.reason})`;
    }
  }
}

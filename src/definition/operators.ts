import type { Operator } from './ast.js';
import { checkDate, checkDateTimeParts } from '../schema/instant.js';
import type { AttributeType } from '../schema/types.js';

/** Every operator of SPEC §2 plus documented extensions (`in_month`). */
export const OPERATORS: readonly Operator[] = [
  'eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'not_in',
  'contains', 'not_contains', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty',
  'before', 'after', 'in_last', 'not_in_last', 'in_month',
];

const ORDERED: Operator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between'];
const EMPTINESS: Operator[] = ['is_empty', 'is_not_empty'];
const TEMPORAL: Operator[] = [...ORDERED, 'before', 'after', 'in_last', 'not_in_last', 'in_month', ...EMPTINESS];

/** Which operators apply to which attribute type (the designer offers exactly these). */
export const OPERATORS_BY_TYPE: Readonly<Record<AttributeType, readonly Operator[]>> = {
  string: [...ORDERED, 'in', 'not_in', 'contains', 'not_contains', 'starts_with', 'ends_with', ...EMPTINESS],
  number: [...ORDERED, 'in', 'not_in', ...EMPTINESS],
  boolean: ['eq', 'ne', ...EMPTINESS],
  date: TEMPORAL,
  datetime: TEMPORAL,
};

/** The shape of `value` each operator takes. */
export type ValueShape = 'none' | 'scalar' | 'pair' | 'list' | 'duration' | 'month';

export function valueShape(op: Operator): ValueShape {
  switch (op) {
    case 'is_empty':
    case 'is_not_empty':
      return 'none';
    case 'between':
      return 'pair';
    case 'in':
    case 'not_in':
      return 'list';
    case 'in_last':
    case 'not_in_last':
      return 'duration';
    case 'in_month':
      return 'month';
    default:
      return 'scalar';
  }
}

export const TIME_UNIT_MS = {
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
} as const;

/** ISO 8601 date, or date-time with a zone (Z or ±hh:mm). */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** ISO_DATETIME in parts. */
const DATETIME_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parse an ISO date or zoned date-time to epoch ms; a date is its midnight UTC. Only real
 * calendar dates and times, by the rules record values follow too (schema/instant): years
 * 0001-9999, hours 00-23, minutes and seconds 00-59, offsets within ±14:00, and an instant
 * that falls within years 0001-9999 in UTC too (so the database reads every bound instant back).
 */
export function parseInstant(s: string): number | undefined {
  if (ISO_DATE.test(s)) {
    const date = checkDate(s);
    return date.ok ? date.ms : undefined;
  }
  const m = DATETIME_PARTS.exec(s);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = m as unknown as [string, string, string, string, string, string, string | undefined, string | undefined, string];
  const instant = checkDateTimeParts({ year, month, day, hour, minute, second, fraction, zone });
  return instant.ok ? instant.ms : undefined;
}

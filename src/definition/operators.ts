import type { Operator } from './ast.js';
import type { AttributeType } from '../schema/types.js';
import { DEFINITION_LIMITS } from './limits.js';

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

const DATE_PARTS = /^(\d{4})-(\d{2})-(\d{2})/;
const TIME_PARTS = /T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/** Epoch ms of a UTC date and time; `Date.UTC` would read years 0-99 as 1900-1999. */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

/** The first instant of year 0001 and the first after year 9999, in UTC. */
const FIRST_MS = utcMs(DEFINITION_LIMITS.minYear, 1, 1);
const AFTER_LAST_MS = utcMs(DEFINITION_LIMITS.maxYear + 1, 1, 1);

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parse an ISO date or zoned date-time to epoch ms; a date is its midnight UTC. Only real
 * calendar dates and times: years 0001-9999, hours 00-23, minutes and seconds 00-59, offsets
 * within ±14:00, and an instant that falls within years 0001-9999 in UTC too (the same
 * range the records hold, so the database reads every bound instant back).
 */
export function parseInstant(s: string): number | undefined {
  const isDate = ISO_DATE.test(s);
  if (!isDate && !ISO_DATETIME.test(s)) return undefined;
  const [, y, mo, d] = DATE_PARTS.exec(s)!.map(Number) as [number, number, number, number];
  if (y < DEFINITION_LIMITS.minYear || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return undefined;
  if (isDate) return utcMs(y, mo, d);
  const t = TIME_PARTS.exec(s);
  if (!t) return undefined;
  const [, hh, mm, ss, fraction, zone, sign, oh, om] = t;
  const hour = Number(hh);
  const minute = Number(mm);
  const second = Number(ss ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (zone !== 'Z') {
    if (Number(om) > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
    if (Math.abs(offset) > DEFINITION_LIMITS.maxOffsetMinutes) return undefined;
  }
  const millis = Number((fraction ?? '').slice(0, 3).padEnd(3, '0'));
  const ms = utcMs(y, mo, d, hour, minute, second, millis) - offset * 60_000;
  return ms < FIRST_MS || ms >= AFTER_LAST_MS ? undefined : ms;
}

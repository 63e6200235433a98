/**
 * The one grammar of dates and date-times a record value may hold (API bodies, CSV and JSONL
 * imports alike): ISO 8601
 *
 * - date: `YYYY-MM-DD`;
 * - date-time: a date, optionally followed by `T` (or a space) `hh:mm:ss[.ffffff]` and a zone,
 *   `Z` or `±hh[[:]mm]`; a date alone is its midnight UTC.
 *
 * Years 0001–9999, real calendar days (2023-02-29 is not one), hours 00–23, minutes and seconds
 * 00–59, at most 6 fractional digits (the store keeps microseconds: more would be cut silently),
 * offsets within ±14:00 (the widest in use). The instant must also fall within years 0001–9999
 * in UTC, so whatever is stored is written back (exports, the API) in a form that reads again.
 *
 * The import's set-based SQL applies the same rules (the dialect's checking cast); a test holds
 * the two to agreement on awkward values.
 */

/** Epoch milliseconds of a valid value, or why the text is not one. */
export type Checked = { ok: true; ms: number } | { ok: false; reason: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?))?$/;

export const DATE_EXPECTED = 'expected YYYY-MM-DD';
export const DATETIME_EXPECTED = 'expected ISO 8601 with a zone, e.g. 2024-05-01T09:30:00Z, or a date';

/** The most fractional second digits a date-time may carry (microseconds). */
export const MAX_FRACTION_DIGITS = 6;
/** The widest zone offset, in minutes (UTC+14:00, Line Islands). */
export const MAX_OFFSET_MINUTES = 14 * 60;

/** 0001-01-01T00:00:00Z and the first instant after 9999-12-31T23:59:59.999999Z, in ms. */
const FIRST_MS = utcMs(1, 1, 1);
const AFTER_LAST_MS = utcMs(10000, 1, 1);

/** Epoch ms of a UTC date and time; `Date.UTC` would read years 0–99 as 1900–1999. */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const fail = (reason: string): Checked => ({ ok: false, reason });

/** The date part's problem, if any: year 0001–9999, a real calendar day. */
function dateProblem(y: string, m: string, d: string): string | undefined {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (year < 1) return `year ${y} is outside 0001–9999`;
  if (month < 1 || month > 12) return `month ${m} does not exist`;
  if (day < 1 || day > daysIn(year, month)) return `no day ${d} in ${y}-${m}`;
  return undefined;
}

/** A `date` value: `YYYY-MM-DD` (no surrounding spaces: callers trim what their source allows). */
export function checkDate(text: string): Checked {
  const m = DATE.exec(text);
  if (!m) return fail(DATE_EXPECTED);
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const problem = dateProblem(y, mo, d);
  return problem ? fail(problem) : { ok: true, ms: utcMs(Number(y), Number(mo), Number(d)) };
}

/**
 * A date-time's parts as a grammar matched them (digits as written; absent parts undefined). The
 * records' grammar is `checkDateTime`'s; a segment definition's values have a grammar of their
 * own (definition/operators) and share these rules.
 */
export interface DateTimeParts {
  year: string;
  month: string;
  day: string;
  hour?: string | undefined;
  minute?: string | undefined;
  second?: string | undefined;
  /** The digits after the decimal point. */
  fraction?: string | undefined;
  /** `Z`, `+hh:mm`, `-hhmm`, `+hh`, as written; undefined for a date alone (midnight UTC). */
  zone?: string | undefined;
}

const ZONE = /^([+-])(\d{2}):?(\d{2})?$/;

/**
 * The rules of an instant, whatever its grammar: year 0001–9999, a real calendar day, hours
 * 00–23, minutes and seconds 00–59, an offset within ±14:00, and the instant within years
 * 0001–9999 in UTC too. Fractions are kept to the millisecond.
 */
export function checkDateTimeParts(p: DateTimeParts): Checked {
  const problem = dateProblem(p.year, p.month, p.day);
  if (problem) return fail(problem);
  const hour = Number(p.hour ?? 0);
  const minute = Number(p.minute ?? 0);
  const second = Number(p.second ?? 0);
  if (hour > 23) return fail(`hour ${p.hour} does not exist (00–23)`);
  if (minute > 59) return fail(`minute ${p.minute} does not exist (00–59)`);
  if (second > 59) return fail(`second ${p.second} does not exist (00–59)`);
  let offset = 0;
  if (p.zone !== undefined && p.zone !== 'Z') {
    const z = ZONE.exec(p.zone);
    if (!z) return fail(`offset ${p.zone} is not ±hh:mm`);
    const minutes = Number(z[3] ?? 0);
    if (minutes > 59) return fail(`offset ${p.zone} does not exist (its minutes are 00–59)`);
    offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + minutes);
    if (Math.abs(offset) > MAX_OFFSET_MINUTES) return fail(`offset ${p.zone} is beyond ±14:00`);
  }
  const millis = Number((p.fraction ?? '').slice(0, 3).padEnd(3, '0'));
  const ms = utcMs(Number(p.year), Number(p.month), Number(p.day), hour, minute, second, millis) - offset * 60_000;
  if (ms < FIRST_MS || ms >= AFTER_LAST_MS) return fail('the instant falls outside years 0001–9999 in UTC');
  return { ok: true, ms };
}

/** A `datetime` value (see above): a zoned date-time, or a date meaning its midnight UTC. */
export function checkDateTime(text: string): Checked {
  const m = DATETIME.exec(text);
  if (!m) return fail(DATETIME_EXPECTED);
  const [, year, month, day, hour, minute, second, fraction, zone] = m as unknown as [string, string, string, string, string | undefined, string | undefined, string | undefined, string | undefined, string | undefined];
  if (fraction !== undefined && fraction.length > MAX_FRACTION_DIGITS) {
    return fail(`${fraction.length} fractional digits; at most ${MAX_FRACTION_DIGITS} (microseconds) are kept`);
  }
  return checkDateTimeParts({ year, month, day, hour, minute, second, fraction, zone });
}

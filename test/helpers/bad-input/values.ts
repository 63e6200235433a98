import { rawNumber } from './types.js';

/** Strings an attacker tries where the server builds SQL, shell commands or paths. */
export const INJECTIONS = ["'; DROP TABLE contacts; --", '" OR 1=1 --', '$(rm -rf /)', '../../etc/passwd'] as const;

/** Control characters in ids and names: NUL (truncates C strings) and ESC (terminal escapes in CLI output). */
export const CONTROLS = ['c\u0000x', '\u001b[31mred\u001b[0m'] as const;

/** The keys that reach an object's prototype when a parser or a merge is careless. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Numbers no attribute or definition can hold: non-finite after parsing, or rounded past 2^53. */
export const NON_FINITE = [
  { text: '1e309', why: '1e309 (Infinity once parsed)' },
  { text: '-1e309', why: '-1e309 (-Infinity once parsed)' },
  { text: '9007199254740993', why: '9007199254740993 (2^53 + 1, rounded by a double)' },
].map((n) => ({ value: rawNumber(n.text), why: n.why }));

/** ISO dates that are not real calendar dates of years 0001–9999. */
export const BAD_DATES = ['2023-02-29', '0000-01-01', '10000-01-01', '1990-13-01', '2024-04-31', 'yesterday'] as const;

/** ISO date-times with an impossible offset, year, date or time. */
export const BAD_DATETIMES = [
  '2024-01-01T00:00:00+25:00',
  '2024-01-01T00:00:00-14:30',
  '0000-01-01T00:00:00Z',
  '10000-01-01T00:00:00Z',
  '2023-02-29T10:00:00Z',
  '2024-01-01T25:00:00Z',
] as const;

/** `n` characters: over the 4,096 a definition string may have. */
export const longText = (n = 4_097): string => 'x'.repeat(n);

import { SegmataError, type Issue } from '../../errors.js';
import type { BadRow } from './types.js';

/** How many bad rows are described; the rest are counted. */
export const BAD_ROW_DETAILS = 100;

/** `contacts.csv:14: column "score": "abc" is not a number` */
export function formatBadRow(file: string, row: BadRow): string {
  return `${file}:${row.line}: ${row.column === undefined ? '' : `column "${row.column}": `}${row.reason}`;
}

/** The error model's issue: path `file:line[:column]`, message without the location. */
export function issueOf(file: string, row: BadRow): Issue {
  return {
    path: `${file}:${row.line}${row.column === undefined ? '' : `:${row.column}`}`,
    message: row.column === undefined ? row.reason : `column "${row.column}": ${row.reason}`,
  };
}

/** Keep the problems of the first `BAD_ROW_DETAILS` bad lines, in file order. */
export function firstBadRows(rows: readonly BadRow[]): BadRow[] {
  const sorted = [...rows].sort((a, b) => a.line - b.line);
  const lines = new Set<number>();
  return sorted.filter((r) => {
    if (!lines.has(r.line)) {
      if (lines.size >= BAD_ROW_DETAILS) return false;
      lines.add(r.line);
    }
    return true;
  });
}

const SHOWN_IN_MESSAGE = 5;

/** The all-or-nothing refusal: one line naming the count and the first problems. */
export function rejection(file: string, summary: string, bad: readonly BadRow[], badRows: number): SegmataError {
  const first = bad.slice(0, SHOWN_IN_MESSAGE);
  const shown = first.map((r) => formatBadRow(file, r));
  const rest = badRows - new Set(first.map((r) => r.line)).size;
  const more = rest > 0 ? ` (and ${rest} more bad row${rest === 1 ? '' : 's'})` : '';
  return new SegmataError('invalid_import', `${file}: ${summary}, nothing was imported: ${shown.join('; ')}${more}`, bad.map((r) => issueOf(file, r)));
}

import type { Dialect } from '../../compiler/dialect.js';
import type { Row } from '../../store/store.js';
import { csvField, plain } from '../records/values.js';

/**
 * What a spreadsheet would take for a formula (OWASP "CSV injection"): a cell starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell of an export: RFC 4180 quoting, and text that a spreadsheet would run as a
 * formula neutralised as OWASP recommends, prefixed with `'` and quoted (`"'=1+2"`), so Excel,
 * LibreOffice and Sheets show it as the text it is.
 *
 * Only text cells (`string` attributes, ids, header names) are neutralised. A typed column
 * renders what its type allows: a number is JS's rendering of a finite number (digits, `.`,
 * `e`, a leading `-`), which a spreadsheet reads as that number and never as a formula; a
 * prefixed `'-5` would turn every negative amount into text and break sums. Booleans, dates and
 * instants cannot start with any of the characters at all.
 */
export function csvCell(value: unknown, type?: string): string {
  const text = plain(value, type);
  const isText = typeof value === 'string' && (type === undefined || type === 'string');
  if (isText && FORMULA_START.test(text)) return `"'${text.replaceAll('"', '""')}"`;
  return csvField(text);
}

export interface CsvColumn {
  name: string;
  /** The attribute type ('string', 'number', 'boolean', 'date', 'datetime'). */
  type: string;
}

/** A piece of a CSV line: fixed text, text the database rendered (a selected column), or a value JS renders. */
type Piece = { constant: string } | { rendered: string } | { raw: string; type: string };

/**
 * CSV lines of contact rows, mostly rendered by the database: runs of text and boolean fields
 * come back as one quoted, comma-joined string each, so a 14-column row is 2–4 values to read
 * instead of 14 (converting each value to JS was most of an export's cost). Numbers, dates and
 * instants are read raw and rendered by `plain`, as everywhere else: the lines are exactly what
 * `csvCell(value, type)` per column gives, by construction rather than by imitating JS's
 * number formatting in SQL; text cells are neutralised against formulas in SQL, as `csvCell` does.
 */
export function csvLines(d: Dialect, columns: readonly CsvColumn[], alias: string): { select: string; line: (row: Row) => string } {
  const pieces: Piece[] = [];
  const select: string[] = [];
  // The current run: SQL expressions of rendered fields, and ',' separators.
  let run: string[] = [];
  let rendersAField = false;
  const flush = (): void => {
    if (run.length === 0) return;
    if (!rendersAField) {
      pieces.push({ constant: ','.repeat(run.length) });
    } else {
      const name = `t${select.length}`;
      select.push(`concat(${run.join(', ')}) AS ${name}`);
      pieces.push({ rendered: name });
    }
    run = [];
    rendersAField = false;
  };
  columns.forEach((c, i) => {
    if (i > 0) run.push(`','`);
    const col = `${alias}.${d.ident(c.name)}`;
    if (c.type === 'string') {
      // The same decisions as csvCell, in the same order: a formula is prefixed and quoted; else quoted if it must be.
      run.push(
        `CASE WHEN ${col} IS NULL THEN '' WHEN regexp_matches(${col}, '^[=+\\-@\\t\\r]') THEN '"''' || replace(${col}, '"', '""') || '"' ` +
          `WHEN regexp_matches(${col}, '[",\\r\\n]') THEN '"' || replace(${col}, '"', '""') || '"' ELSE ${col} END`,
      );
      rendersAField = true;
    } else if (c.type === 'boolean') {
      run.push(`CASE WHEN ${col} IS NULL THEN '' WHEN ${col} THEN 'true' ELSE 'false' END`);
      rendersAField = true;
    } else {
      flush();
      const name = `r${select.length}`;
      select.push(`${col} AS ${name}`);
      pieces.push({ raw: name, type: c.type });
    }
  });
  flush();
  return {
    select: select.join(', '),
    line: (row) => {
      let out = '';
      for (const p of pieces) out += 'constant' in p ? p.constant : 'rendered' in p ? String(row[p.rendered]) : csvCell(row[p.raw], p.type);
      return out;
    },
  };
}

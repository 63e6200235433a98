import type { Dialect } from '../../compiler/dialect.js';
import type { Row } from '../../store/store.js';
import { csvField, plain } from '../records/values.js';

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
 * `csvField(plain(value))` per column gives, by construction rather than by imitating JS's
 * number formatting in SQL.
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
      run.push(`CASE WHEN ${col} IS NULL THEN '' WHEN regexp_matches(${col}, '[",\\r\\n]') THEN '"' || replace(${col}, '"', '""') || '"' ELSE ${col} END`);
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
      for (const p of pieces) out += 'constant' in p ? p.constant : 'rendered' in p ? String(row[p.rendered]) : csvField(plain(row[p.raw], p.type));
      return out;
    },
  };
}

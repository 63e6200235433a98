import type { SqlRunner, StagedFile } from '../../store/store.js';
import { mapCsvLines } from './csv-lines.js';
import { BAD_ROW_DETAILS, firstBadRows } from './report.js';
import type { BadRow } from './types.js';
import { findBadRows, type RowChecks } from './validate.js';

/**
 * Describe the first bad rows, in file order: the ones the reader refused and the ones the
 * checks found. Runs only when there are some, so the line mapping of a CSV (a second pass over
 * the file) costs nothing on a clean import.
 */
export async function describeBadRows(
  db: SqlRunner,
  path: string,
  staged: StagedFile,
  checks: RowChecks,
  badStaged: number,
): Promise<BadRow[]> {
  const found = badStaged > 0 ? await findBadRows(db, staged, checks, BAD_ROW_DETAILS) : [];
  let refused = staged.rejectedSample;
  let lineOf = (rec: { rec: number; line?: number }): number | undefined => rec.line;
  if (!staged.keyed) {
    const map = await mapCsvLines(
      path,
      staged.columns.length,
      found.map((r) => r.rec),
      Math.min(staged.rejected, BAD_ROW_DETAILS),
    );
    refused = map.malformed;
    lineOf = (r) => map.lines.get(r.rec);
  }
  const rows: BadRow[] = [...refused];
  for (const record of found) {
    // The scanner splits records as the reader does; should they ever disagree, say so
    // rather than name a wrong line.
    const line = lineOf(record);
    for (const p of record.problems) {
      rows.push({
        line: line ?? 0,
        column: p.column,
        reason: line === undefined ? `${p.reason} (record ${record.rec + 1}; its line could not be determined)` : p.reason,
      });
    }
  }
  return firstBadRows(rows);
}

import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { TargetColumn } from './columns.js';
import type { BadRow } from './types.js';

/** The header row's column names (trimmed), or a reason it cannot be read. */
export async function readCsvHeader(path: string): Promise<string[] | BadRow> {
  const input = createReadStream(path);
  // `to: 1` stops after the first record, so only the header's bytes are parsed.
  const parser = input.pipe(parse({ bom: true, to: 1, relax_column_count: true }));
  try {
    for await (const record of parser) return (record as string[]).map((name) => name.trim());
    return { line: 1, reason: 'the file is empty; a CSV file starts with a header row naming its columns' };
  } catch (e) {
    return { line: 1, reason: `the header row cannot be read (${e instanceof Error ? e.message : String(e)})` };
  } finally {
    parser.destroy();
    input.destroy();
  }
}

/** Header problems are file-wide: no row can be imported while one stands. */
export function checkCsvHeader(header: readonly string[], targets: readonly TargetColumn[], what: string): BadRow[] {
  const issues: BadRow[] = [];
  const known = new Set(targets.map((t) => t.name));
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') {
      issues.push({ line: 1, reason: `column ${i + 1} has no name` });
    } else if (seen.has(name)) {
      issues.push({ line: 1, column: name, reason: 'the column appears more than once' });
    } else if (!known.has(name)) {
      issues.push({ line: 1, column: name, reason: `unknown column of ${what} (known: ${[...known].join(', ')})` });
    }
    seen.add(name);
  });
  for (const t of targets) {
    if (t.required && !seen.has(t.name)) issues.push({ line: 1, column: t.name, reason: 'required column is missing' });
  }
  return issues;
}

import type { TargetColumn } from '../import/columns.js';

/** What one pass over records given as objects tells before they are staged. */
export interface RecordSurvey {
  /**
   * The columns to stage: the required ones and those some record carries, in target order;
   * every target when some record has an unknown key (so the refusal lists every known column).
   */
  columns: string[];
  /**
   * No two records carry the same id, as the stager will stage it. Anything unusual (an id that
   * is not a string or number, or one nested in the flattened key) answers false: "not known".
   */
  idsDistinct: boolean;
}

/**
 * One pass in JS over a batch that is at hand anyway. It saves a small batch most of its cost:
 * a column no record carries is neither staged nor checked (a batch of interactions usually
 * carries 4 of its 10 columns), and known-distinct ids skip the repeated-id query. A column
 * left out means what an absent CSV column means: not carried by any record.
 */
export function surveyRecords(rows: readonly unknown[], targets: readonly TargetColumn[], flatten?: string): RecordSurvey {
  const carried = new Set<string>();
  const ids = new Set<string>();
  let idsDistinct = true;
  for (const row of rows) {
    if (row === null || typeof row !== 'object') continue;
    const record = row as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (key === flatten && value !== null && typeof value === 'object') {
        for (const inner of Object.keys(value)) carried.add(inner);
        if ('id' in value) idsDistinct = false;
      } else {
        carried.add(key);
      }
    }
    const id = record.id;
    if (!idsDistinct || id === undefined || id === null || id === '') continue;
    if (typeof id !== 'string' && typeof id !== 'number') {
      idsDistinct = false;
      continue;
    }
    const key = String(id);
    if (ids.has(key)) idsDistinct = false;
    else ids.add(key);
  }
  const known = new Set(targets.map((t) => t.name));
  const unknown = [...carried].some((key) => !known.has(key));
  const columns = targets.filter((t) => unknown || t.required || carried.has(t.name)).map((t) => t.name);
  return { columns, idsDistinct };
}

export { jsonValue } from '../engine/records/values.js';
/** "1 member", "2 members": a count and its noun in agreement, in every message. */
export { plural } from '../definition/describe.js';
/** Small text renderers for the terminal: aligned tables, dates. (CSV cells: engine/segments/csv-lines.ts.) */

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}


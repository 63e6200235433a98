/** Small text renderers for the terminal: aligned tables, CSV fields, dates. */

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** Render a value for output: instants as ISO, DATE values as YYYY-MM-DD. */
export function plain(v: unknown, type?: string): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return type === 'date' ? v.toISOString().slice(0, 10) : v.toISOString();
  return String(v);
}

/** RFC 4180 field quoting. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function jsonValue(v: unknown, type?: string): unknown {
  if (v instanceof Date) return plain(v, type);
  return v ?? null;
}

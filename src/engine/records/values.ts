/** Stored values as the faces show them: instants in ISO 8601, dates as YYYY-MM-DD. */
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

/** A stored row as JSON: each value by its attribute's type (`types`: attribute name → type). */
export function jsonRow(row: Readonly<Record<string, unknown>>, types: ReadonlyMap<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = jsonValue(v, types.get(k));
  return out;
}

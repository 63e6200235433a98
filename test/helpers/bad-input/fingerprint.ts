import type { Store } from '../../../src/store/store.js';

/** One table's share of the fingerprint: its row count and an order-free hash of its rows. */
export interface TableFingerprint {
  table: string;
  rows: number;
  hash: string;
}

/**
 * Every table of the database (from information_schema, so a new table is covered without
 * editing a list), the live loop's bookkeeping included: a refused request writes none of them,
 * and with the clock fixed the loop has nothing to do between two requests.
 */
export async function userTables(store: Store): Promise<string[]> {
  const rows = await store.all<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  return rows.map((r) => r.name);
}

/**
 * What a refused request must leave unchanged: for every table, its row count and the sum of
 * its rows' hashes (a row's hash covers every column; a sum, unlike an xor, does not cancel two
 * equal rows), in one statement so that it reads one snapshot.
 */
export async function fingerprint(store: Store, tables: readonly string[]): Promise<TableFingerprint[]> {
  const parts = tables.map(
    (t) => `SELECT '${t}' AS "table", count(*) AS "rows", coalesce(sum(hash(x)::HUGEINT), 0)::VARCHAR AS "hash" FROM "${t.replaceAll('"', '""')}" AS x`,
  );
  const rows = await store.all<{ table: string; rows: bigint | number; hash: string }>(parts.join(' UNION ALL '));
  return rows.map((r) => ({ table: r.table, rows: Number(r.rows), hash: r.hash })).sort((a, b) => (a.table < b.table ? -1 : 1));
}

/** The tables whose fingerprint differs, for an assertion message that names them. */
export function changedTables(before: readonly TableFingerprint[], after: readonly TableFingerprint[]): string[] {
  const old = new Map(before.map((f) => [f.table, f]));
  const changed: string[] = [];
  for (const f of after) {
    const b = old.get(f.table);
    if (!b) changed.push(`${f.table} (new table)`);
    else if (b.rows !== f.rows || b.hash !== f.hash) changed.push(`${f.table} (${b.rows} → ${f.rows} rows${b.rows === f.rows ? ', contents differ' : ''})`);
  }
  for (const b of before) if (!after.some((f) => f.table === b.table)) changed.push(`${b.table} (dropped)`);
  return changed;
}

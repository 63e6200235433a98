import { TABLES } from '../../schema/defaults.js';
import type { SqlRunner } from '../../store/store.js';

/**
 * Every contact's row as JSON text, in memory, for pages of members: reading 100 contacts from
 * DuckDB costs ~5 ms of scanning at 1M contacts (their row group's columns), from here
 * microseconds. ~300 bytes a contact. Loaded on first use with one set-based query (DuckDB
 * renders the JSON: instants in ISO 8601, dates as YYYY-MM-DD, as the API shows them), then
 * kept current: the engine tells it which contacts each write touched (`written`), and those
 * are read again before the next lookup.
 */
export class ContactDirectory {
  private rows: Map<string, string> | undefined;
  private loading: Promise<Map<string, string>> | undefined;
  /** Contacts written since they were read (or `all`: a bulk write or a schema change). */
  private stale: Set<string> | 'all' = new Set();

  constructor(private readonly db: SqlRunner) {}

  written(ids: readonly string[] | 'all'): void {
    if (ids === 'all' || this.stale === 'all') this.stale = 'all';
    else for (const id of ids) this.stale.add(id);
  }

  /** Moves whenever the set of contacts held may have changed (a count of `ids` taken before it moved is stale). */
  version = 0;

  /** How many of `ids` have a contact (ids of contacts deleted since are left out, as `get` does). */
  async count(ids: readonly string[]): Promise<number> {
    const rows = await this.current();
    let n = 0;
    for (const id of ids) if (rows.has(id)) n++;
    return n;
  }

  /** The rows of `ids` as JSON texts, in that order (an id without a contact is left out). */
  async get(ids: readonly string[]): Promise<string[]> {
    const rows = await this.current();
    const out: string[] = [];
    for (const id of ids) {
      const json = rows.get(id);
      if (json !== undefined) out.push(json);
    }
    return out;
  }

  private async current(): Promise<Map<string, string>> {
    if (this.stale === 'all') {
      this.stale = new Set();
      this.rows = undefined;
      this.loading = undefined;
    }
    if (!this.rows) {
      this.loading ??= this.read().then((m) => ((this.version += 1), (this.rows = m)));
      await this.loading;
    }
    const rows = this.rows!;
    if (this.stale instanceof Set && this.stale.size > 0) {
      const ids = [...this.stale];
      this.stale = new Set();
      const fresh = await this.read(ids);
      const before = rows.size;
      let removed = false;
      for (const id of ids) {
        const json = fresh.get(id);
        if (json === undefined) removed = rows.delete(id) || removed;
        else rows.set(id, json);
      }
      // Only a contact added or removed changes a count; an edited one does not.
      if (removed || rows.size !== before) this.version += 1;
    }
    return rows;
  }

  /** Rows as JSON text by id: all of them, or those of `ids`. */
  private async read(ids?: readonly string[]): Promise<Map<string, string>> {
    const d = this.db.dialect;
    const table = d.ident(TABLES.contact);
    const columns = await this.db.all<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
      [TABLES.contact],
    );
    const fields = columns.map(({ name, type }) => {
      const c = d.ident(name);
      const value = /^TIMESTAMP/.test(type) ? `strftime(${c}, '%Y-%m-%dT%H:%M:%S.%gZ')` : type === 'DATE' ? `strftime(${c}, '%Y-%m-%d')` : c;
      return `${d.ident(name)} := ${value}`;
    });
    // Ids travel as JSON: any character may be in an id, so no separator is safe.
    const where = ids ? `WHERE id IN (SELECT unnest(from_json($1, '["VARCHAR"]')))` : '';
    const out = new Map<string, string>();
    await this.db.each(`SELECT id, CAST(to_json(struct_pack(${fields.join(', ')})) AS VARCHAR) AS j FROM ${table} ${where}`, ids ? [JSON.stringify(ids)] : [], (rows) => {
      for (const r of rows) out.set(String(r.id), String(r.j));
    });
    return out;
  }
}

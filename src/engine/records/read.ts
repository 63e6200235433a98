import { SegmataError } from '../../errors.js';
import { TABLES } from '../../schema/defaults.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { RecordKind } from '../../schema/types.js';
import type { Row, SqlRunner } from '../../store/store.js';
import type { EntityKind } from './upsert.js';

export const KIND_OF: Readonly<Record<EntityKind, RecordKind>> = { contacts: 'contact', accounts: 'account', leads: 'lead' };

/**
 * The columns a search matches (case-insensitive substring): the id and every text attribute,
 * so a city or a job title finds a record as a name or an email does.
 */
export function searchedColumns(registry: SchemaRegistry, kind: RecordKind): string[] {
  return ['id', ...registry.attributes(kind).filter((a) => a.type === 'string' && a.name !== 'id').map((a) => a.name)];
}

export async function getRecord(store: SqlRunner, kind: EntityKind, id: string): Promise<Row> {
  const [row] = await store.all(`SELECT * FROM ${store.dialect.ident(TABLES[KIND_OF[kind]])} WHERE id = $1`, [id]);
  if (!row) throw new SegmataError('not_found', `${KIND_OF[kind]} "${id}" does not exist`);
  return row;
}

export interface RecordPage {
  items: Row[];
  /** Pass back as `after` for the next page; absent on the last. */
  next?: string;
  /** How many records match in all (see `searchRecords` for when it is counted). */
  total?: number;
}

/**
 * Records in id order, `limit` at a time after id `after` (keyset paging: stable while records
 * are added or removed), optionally those whose id or any text attribute contains `search`.
 * The total is counted on every page of an unsearched list (a count of one column) and on the
 * first page of a search (a second scan, not repeated for each later page of it).
 */
export async function searchRecords(
  store: SqlRunner,
  registry: SchemaRegistry,
  kind: EntityKind,
  options: { search?: string; after?: string; limit: number },
): Promise<RecordPage> {
  const d = store.dialect;
  const recordKind = KIND_OF[kind];
  const table = d.ident(TABLES[recordKind]);
  const search = options.search;
  /** The search as a condition on the record, its needle bound as `param`. */
  const matches = (param: string): string => (search ? `(${searchedColumns(registry, recordKind).map((c) => d.containsCI(d.ident(c), param)).join(' OR ')})` : 'TRUE');
  const rows = await store.all(`SELECT * FROM ${table} WHERE id > $1 AND ${matches('$2')} ORDER BY id LIMIT ${Math.floor(options.limit) + 1}`, [options.after ?? '', ...(search ? [search] : [])]);
  const items = rows.slice(0, options.limit);
  const page: RecordPage = rows.length > options.limit ? { items, next: String(items[items.length - 1]!.id) } : { items };
  // A first page that holds every match has counted them already.
  if (options.after === undefined && !page.next) page.total = items.length;
  else if (!search || options.after === undefined) {
    const [row] = await store.all<{ n: number | bigint }>(`SELECT count(*) AS n FROM ${table} WHERE ${matches('$1')}`, search ? [search] : []);
    page.total = Number(row?.n ?? 0);
  }
  return page;
}

/** Where a page of a contact's timeline ends: the last interaction's instant and row. */
export interface TimelineCursor {
  at: string;
  row: number;
}

/**
 * A contact's interactions, newest first, `limit` at a time after `before` (interactions of the
 * same instant are told apart by their row, so none is skipped or repeated between pages).
 */
export async function contactInteractions(store: SqlRunner, contactId: string, options: { limit: number; before?: TimelineCursor }): Promise<{ rows: Row[]; cursors: TimelineCursor[] }> {
  const after = options.before ? 'AND (occurred_at < CAST($2 AS TIMESTAMPTZ) OR (occurred_at = CAST($2 AS TIMESTAMPTZ) AND rowid < $3))' : '';
  const found = await store.all(
    `SELECT rowid AS _row, * FROM ${store.dialect.ident(TABLES.interaction)} WHERE contact_id = $1 ${after}
     ORDER BY occurred_at DESC, rowid DESC LIMIT ${Math.floor(options.limit)}`,
    options.before ? [contactId, options.before.at, options.before.row] : [contactId],
  );
  const cursors = found.map((r) => ({ at: (r.occurred_at as Date).toISOString(), row: Number(r._row) }));
  return { rows: found.map(({ _row: _r, ...rest }) => rest), cursors };
}

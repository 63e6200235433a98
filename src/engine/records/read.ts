import { SegmataError } from '../../errors.js';
import { TABLES } from '../../schema/defaults.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { RecordKind } from '../../schema/types.js';
import type { Row, SqlRunner } from '../../store/store.js';
import type { EntityKind } from './upsert.js';

export const KIND_OF: Readonly<Record<EntityKind, RecordKind>> = { contacts: 'contact', accounts: 'account', leads: 'lead' };

/** The attributes a search matches (case-insensitive substring), those of them that exist. */
const SEARCHED = ['first_name', 'last_name', 'email', 'name', 'topic'];

export async function getRecord(store: SqlRunner, kind: EntityKind, id: string): Promise<Row> {
  const [row] = await store.all(`SELECT * FROM ${store.dialect.ident(TABLES[KIND_OF[kind]])} WHERE id = $1`, [id]);
  if (!row) throw new SegmataError('not_found', `${KIND_OF[kind]} "${id}" does not exist`);
  return row;
}

export interface RecordPage {
  items: Row[];
  /** Pass back as `after` for the next page; absent on the last. */
  next?: string;
}

/**
 * Records in id order, `limit` at a time after id `after` (keyset paging: stable while records
 * are added or removed), optionally those whose id, name or email contains `search`.
 */
export async function searchRecords(
  store: SqlRunner,
  registry: SchemaRegistry,
  kind: EntityKind,
  options: { search?: string; after?: string; limit: number },
): Promise<RecordPage> {
  const d = store.dialect;
  const recordKind = KIND_OF[kind];
  const columns = ['id', ...SEARCHED.filter((name) => registry.attribute(recordKind, name))];
  const params: (string | number)[] = [options.after ?? ''];
  let where = 'id > $1';
  if (options.search) {
    params.push(options.search);
    where += ` AND (${columns.map((c) => d.containsCI(d.ident(c), '$2')).join(' OR ')})`;
  }
  const rows = await store.all(`SELECT * FROM ${d.ident(TABLES[recordKind])} WHERE ${where} ORDER BY id LIMIT ${Math.floor(options.limit) + 1}`, params);
  const items = rows.slice(0, options.limit);
  return rows.length > options.limit ? { items, next: String(items[items.length - 1]!.id) } : { items };
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

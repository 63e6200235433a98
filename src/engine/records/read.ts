import { SegmataError } from '../../errors.js';
import { TABLES } from '../../schema/defaults.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { RecordKind } from '../../schema/types.js';
import type { Row, Store } from '../../store/store.js';
import type { EntityKind } from './upsert.js';

export const KIND_OF: Readonly<Record<EntityKind, RecordKind>> = { contacts: 'contact', accounts: 'account', leads: 'lead' };

/** The attributes a search matches (case-insensitive substring), those of them that exist. */
const SEARCHED = ['first_name', 'last_name', 'email', 'name', 'topic'];

export async function getRecord(store: Store, kind: EntityKind, id: string): Promise<Row> {
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
  store: Store,
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
    params.push(`%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where += ` AND (${columns.map((c) => `${d.ident(c)} ILIKE $2 ESCAPE '\\'`).join(' OR ')})`;
  }
  const rows = await store.all(`SELECT * FROM ${d.ident(TABLES[recordKind])} WHERE ${where} ORDER BY id LIMIT ${Math.floor(options.limit) + 1}`, params);
  const items = rows.slice(0, options.limit);
  return rows.length > options.limit ? { items, next: String(items[items.length - 1]!.id) } : { items };
}

/** A contact's interactions, newest first, `limit` at a time before `before` (an ISO instant). */
export async function contactInteractions(store: Store, contactId: string, options: { limit: number; before?: string }): Promise<Row[]> {
  return store.all(
    `SELECT * FROM ${store.dialect.ident(TABLES.interaction)} WHERE contact_id = $1 AND occurred_at < CAST($2 AS TIMESTAMPTZ)
     ORDER BY occurred_at DESC, id DESC LIMIT ${Math.floor(options.limit)}`,
    [contactId, options.before ?? '9999-12-31T00:00:00Z'],
  );
}

import { TABLES } from '../../schema/defaults.js';
import type { SqlRunner, SqlValue } from '../../store/store.js';

/**
 * Change capture: every data write enqueues, in its own transaction, the contacts whose live
 * memberships it may change (live_dirty), so a crash between a write and its processing loses
 * nothing. Each function is one set-based `INSERT … SELECT DISTINCT`, never a statement per row.
 *
 * Sources: 'contact' (the contact's own record), 'account' (the record of the account it points
 * at), 'interaction:<type>', 'deleted' (the contact is gone). Leads enqueue nothing: no segment
 * condition reads them.
 */

/** A query and its bound parameters. */
export interface BoundSql {
  sql: string;
  params: readonly SqlValue[];
}

/**
 * Enqueue the rows of `select`, which yields (contact_id, source), at instant `at`.
 * `at` is bound after the query's own parameters.
 */
async function enqueue(tx: SqlRunner, select: BoundSql, at: Date): Promise<void> {
  await tx.run(
    `INSERT INTO live_dirty (contact_id, source, enqueued_at)
     SELECT DISTINCT contact_id, source, CAST($${select.params.length + 1} AS TIMESTAMPTZ) FROM (${select.sql}) AS changed`,
    [...select.params, at.toISOString()],
  );
}

/** Contacts written or deleted: `ids` selects their ids in a column named `id`. */
export async function enqueueContacts(tx: SqlRunner, ids: BoundSql, source: 'contact' | 'deleted', at: Date): Promise<void> {
  await enqueue(tx, { sql: `SELECT id AS contact_id, '${source}' AS source FROM (${ids.sql}) AS ids WHERE id IS NOT NULL`, params: ids.params }, at);
}

/** Every contact pointing at one of the accounts `ids` selects (a column named `id`). */
export async function enqueueAccountContacts(tx: SqlRunner, ids: BoundSql, at: Date): Promise<void> {
  const contacts = tx.dialect.ident(TABLES.contact);
  await enqueue(
    tx,
    { sql: `SELECT c.id AS contact_id, 'account' AS source FROM ${contacts} AS c WHERE c.account_id IN (${ids.sql})`, params: ids.params },
    at,
  );
}

/** A change-queue entry: a contact and what changed about it (a source, as above). */
export type QueueEntry = { contact_id: string; source: string };

/** The queue entries of stored interaction rows (as `enqueueInteractions` would write them), without a query. */
export function interactionEntries(rows: readonly Readonly<Record<string, unknown>>[]): QueueEntry[] {
  // Types seen per contact (a handful at most): no key string built per row, as a Set of
  // "contact\0source" would (~1 µs a row at 50,000 rows a batch).
  const typesOf = new Map<string, string[]>();
  const out: QueueEntry[] = [];
  for (const r of rows) {
    const contact = String(r.contact_id);
    const type = String(r.type);
    let types = typesOf.get(contact);
    if (!types) typesOf.set(contact, (types = []));
    else if (types.includes(type)) continue;
    types.push(type);
    out.push({ contact_id: contact, source: `interaction:${type}` });
  }
  return out;
}

/** One entry per contact and interaction type of the interactions `rows` selects (columns `contact_id`, `type`). */
export async function enqueueInteractions(tx: SqlRunner, rows: BoundSql, at: Date): Promise<void> {
  await enqueue(tx, { sql: `SELECT contact_id, 'interaction:' || type AS source FROM (${rows.sql}) AS i`, params: rows.params }, at);
}

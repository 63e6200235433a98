import { SegmataError } from '../../errors.js';
import { TABLES } from '../../schema/defaults.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { WriteCapture } from '../import/import-staged.js';
import { enqueueAccountContacts, enqueueContacts, type BoundSql } from './change-capture.js';
import { ENTITY_KINDS, type EntityKind } from './upsert.js';

const KIND: Readonly<Record<EntityKind, 'contact' | 'account' | 'lead'>> = { contacts: 'contact', accounts: 'account', leads: 'lead' };

/**
 * Delete contacts, accounts or leads by id in one transaction; unknown ids are ignored. A
 * deleted contact is enqueued as 'deleted' and the contacts of a deleted account as 'account'.
 * Interactions stay (the log is append-only; a contact that does not exist is never a member).
 * Returns how many records were deleted.
 */
export async function deleteRecords(store: Store, clock: Clock, kind: EntityKind, ids: readonly string[], capture?: WriteCapture): Promise<number> {
  if (!ENTITY_KINDS.includes(kind)) {
    throw new SegmataError('invalid_argument', `unknown record kind "${String(kind)}" (expected one of: ${ENTITY_KINDS.join(', ')})`);
  }
  if (!Array.isArray(ids)) throw new SegmataError('invalid_argument', 'ids: expected an array of strings');
  const notText = ids.findIndex((id) => typeof id !== 'string');
  if (notText >= 0) {
    throw new SegmataError('invalid_argument', `ids[${notText}]: expected a string`, [{ path: `ids[${notText}]`, message: 'expected a string' }]);
  }
  if (ids.length === 0) return 0;

  // The ids go through the appender into a temporary table: one set-based statement per step
  // whatever their number, and no id ever enters SQL text.
  const staged = await store.stageRecords(ids.map((id) => ({ id })), { columns: ['id'] });
  const d = store.dialect;
  const table = d.ident(TABLES[KIND[kind]]);
  try {
    return await store.transaction(async (tx) => {
      const at = clock();
      const given = `SELECT c0 FROM ${d.ident(staged.table)}`;
      // Enqueued before the delete, which they need to see; unknown ids match nothing.
      const existing: BoundSql = { sql: `SELECT id FROM ${table} WHERE id IN (${given})`, params: [] };
      if (kind === 'contacts') await enqueueContacts(tx, existing, 'deleted', at);
      if (kind === 'accounts') await enqueueAccountContacts(tx, existing, at);
      const n = await tx.write(`DELETE FROM ${table} WHERE id IN (${given})`);
      capture?.deleted(KIND[kind], ids);
      return n;
    }).catch((e: unknown) => {
      capture?.invalidate();
      throw e;
    });
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${d.ident(staged.table)}`);
  }
}

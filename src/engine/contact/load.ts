import { TABLES, RELATIONS } from '../../schema/defaults.js';
import type { SqlRunner, SqlValue } from '../../store/store.js';
import type { ContactData, InteractionRow, RecordRow } from './evaluate.js';

/**
 * Load what the per-contact evaluator needs for a batch of contacts with one query per
 * table (never one per contact): profiles, their related accounts, their interactions.
 */
export async function loadContactData(db: SqlRunner, ids: string[], interactionTypes?: string[]): Promise<Map<string, ContactData>> {
  const out = new Map<string, ContactData>();
  if (ids.length === 0) return out;
  const q = db.dialect.ident;
  const typeFilter = (offset: number): string => {
    if (!interactionTypes) return '';
    if (interactionTypes.length === 0) return ' AND false';
    return ` AND type IN (${interactionTypes.map((_, i) => `$${offset + i + 1}`).join(', ')})`;
  };
  const types = interactionTypes ?? [];
  let contacts: (RecordRow & { id: string })[];
  let interactions: (InteractionRow & { contact_id: string })[];
  if (ids.length <= SMALL_BATCH) {
    contacts = await lookup<RecordRow & { id: string }>(db, `SELECT * FROM ${q(TABLES.contact)} WHERE`, 'id', ids);
    interactions = [];
    // Any other predicate beside the id list stops DuckDB from using the index, so the
    // interaction types are filtered here rather than in SQL.
    const wanted = interactionTypes ? new Set(interactionTypes) : undefined;
    const rows = await lookup<InteractionRow & { contact_id: string }>(db, `SELECT * FROM ${q(TABLES.interaction)} WHERE`, 'contact_id', ids);
    interactions = wanted ? rows.filter((r) => wanted.has(r.type)) : rows;
  } else {
    // Many ids: one hash join with a temporary table of them, one scan however large the batch.
    await fillIdTable(db, ids);
    contacts = await db.all<RecordRow & { id: string }>(`SELECT * FROM ${q(TABLES.contact)} WHERE id IN (SELECT id FROM _batch_ids)`);
    interactions = await db.all<InteractionRow & { contact_id: string }>(
      `SELECT * FROM ${q(TABLES.interaction)} WHERE contact_id IN (SELECT id FROM _batch_ids)${typeFilter(0)}`,
      types,
    );
  }
  const relations = RELATIONS.filter((r) => r.from === 'contact');
  const relatedRows = new Map<string, Map<string, RecordRow>>();
  for (const rel of relations) {
    const refs = [...new Set(contacts.map((c) => c[rel.via]).filter((v): v is string => typeof v === 'string'))];
    const rows = await lookup<RecordRow & { id: string }>(db, `SELECT * FROM ${q(TABLES[rel.to])} WHERE`, 'id', refs);
    relatedRows.set(rel.name, new Map(rows.map((r) => [r.id, r])));
  }
  for (const c of contacts) {
    const related: Record<string, RecordRow | undefined> = {};
    for (const rel of relations) {
      const ref = c[rel.via];
      related[rel.name] = typeof ref === 'string' ? relatedRows.get(rel.name)?.get(ref) : undefined;
    }
    out.set(c.id, { contact: c, related, interactions: [] });
  }
  for (const i of interactions) out.get(i.contact_id)?.interactions.push(i);
  return out;
}

/**
 * DuckDB answers an IN list of up to 16 constants with index lookups; a longer list becomes
 * a hash join that scans the whole table. So lookups go 16 ids at a time.
 */
export const LOOKUP_CHUNK = 16;

/** `head` ends with WHERE; rows whose `column` is one of `ids`, by index lookups. */
export async function lookup<T extends Record<string, unknown>>(db: SqlRunner, head: string, column: string, ids: readonly string[], extra: SqlValue[] = []): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LOOKUP_CHUNK);
    out.push(...(await db.all<T>(`${head} ${column} IN (${chunk.map((_, k) => `$${extra.length + k + 1}`).join(', ')})`, [...extra, ...chunk])));
  }
  return out;
}

/**
 * Rows whose `column` is one of `ids` (`head` ends with WHERE): index lookups for a few ids,
 * one join with the temp table of them for many.
 */
export async function rowsForIds<T extends Record<string, unknown>>(db: SqlRunner, head: string, column: string, ids: readonly string[]): Promise<T[]> {
  if (ids.length <= SMALL_BATCH) return lookup<T>(db, head, column, ids);
  await fillIdTable(db, [...ids]);
  return db.all<T>(`${head} ${column} IN (SELECT id FROM _batch_ids)`);
}

/** Up to this many ids, IN lists (index lookups); past it, one join with a temp table. */
export const SMALL_BATCH = 256;

/** Fill the connection's temp table `_batch_ids` with `ids` (for joins on large batches). */
export async function fillIdTable(db: SqlRunner, ids: string[]): Promise<void> {
  await db.run('CREATE TEMP TABLE IF NOT EXISTS _batch_ids (id VARCHAR)');
  await db.run('DELETE FROM _batch_ids');
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await db.run(`INSERT INTO _batch_ids VALUES ${chunk.map((_, k) => `($${k + 1})`).join(', ')}`, chunk);
  }
}

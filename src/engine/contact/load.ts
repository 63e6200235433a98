import { TABLES, RELATIONS } from '../../schema/defaults.js';
import type { SqlRunner } from '../../store/store.js';
import type { ContactData, InteractionRow, RecordRow } from './evaluate.js';

/**
 * Load what the per-contact evaluator needs for a batch of contacts with one query per
 * table (never one per contact): profiles, their related accounts, their interactions.
 */
export async function loadContactData(db: SqlRunner, ids: string[], interactionTypes?: string[]): Promise<Map<string, ContactData>> {
  const out = new Map<string, ContactData>();
  if (ids.length === 0) return out;
  const q = db.dialect.ident;
  // Few ids: an IN list (index lookups where an index exists). Many: one hash join with a
  // temporary table of the ids, so a batch costs one scan however large it is.
  const small = ids.length <= SMALL_BATCH;
  if (!small) await fillIdTable(db, ids);
  const filter = (column: string, offset = 0): string =>
    small ? `${column} IN (${ids.map((_, i) => `$${offset + i + 1}`).join(', ')})` : `${column} IN (SELECT id FROM _batch_ids)`;
  const idParams = small ? ids : [];
  const contacts = await db.all<RecordRow & { id: string }>(`SELECT * FROM ${q(TABLES.contact)} WHERE ${filter('id')}`, idParams);
  const relations = RELATIONS.filter((r) => r.from === 'contact');
  const relatedRows = new Map<string, Map<string, RecordRow>>();
  for (const rel of relations) {
    const refs = [...new Set(contacts.map((c) => c[rel.via]).filter((v): v is string => typeof v === 'string'))];
    const rows: (RecordRow & { id: string })[] = [];
    for (let i = 0; i < refs.length; i += SMALL_BATCH) {
      const chunk = refs.slice(i, i + SMALL_BATCH);
      rows.push(...(await db.all<RecordRow & { id: string }>(`SELECT * FROM ${q(TABLES[rel.to])} WHERE id IN (${chunk.map((_, k) => `$${k + 1}`).join(', ')})`, chunk)));
    }
    relatedRows.set(rel.name, new Map(rows.map((r) => [r.id, r])));
  }
  let interactionSql = `SELECT * FROM ${q(TABLES.interaction)} WHERE ${filter('contact_id')}`;
  const params: string[] = [...idParams];
  if (interactionTypes) {
    if (interactionTypes.length === 0) interactionSql += ' AND false';
    else interactionSql += ` AND type IN (${interactionTypes.map((_, i) => `$${params.length + i + 1}`).join(', ')})`;
    params.push(...interactionTypes);
  }
  const interactions = await db.all<InteractionRow & { contact_id: string }>(interactionSql, params);
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

const SMALL_BATCH = 256;

async function fillIdTable(db: SqlRunner, ids: string[]): Promise<void> {
  await db.run('CREATE TEMP TABLE IF NOT EXISTS _batch_ids (id VARCHAR)');
  await db.run('DELETE FROM _batch_ids');
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await db.run(`INSERT INTO _batch_ids VALUES ${chunk.map((_, k) => `($${k + 1})`).join(', ')}`, chunk);
  }
}

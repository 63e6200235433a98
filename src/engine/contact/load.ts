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
  const idList = ids.map((_, i) => `$${i + 1}`).join(', ');
  const contacts = await db.all<RecordRow & { id: string }>(`SELECT * FROM ${q(TABLES.contact)} WHERE id IN (${idList})`, ids);
  const relations = RELATIONS.filter((r) => r.from === 'contact');
  const relatedRows = new Map<string, Map<string, RecordRow>>();
  for (const rel of relations) {
    const refs = [...new Set(contacts.map((c) => c[rel.via]).filter((v): v is string => typeof v === 'string'))];
    const rows = refs.length
      ? await db.all<RecordRow & { id: string }>(`SELECT * FROM ${q(TABLES[rel.to])} WHERE id IN (${refs.map((_, i) => `$${i + 1}`).join(', ')})`, refs)
      : [];
    relatedRows.set(rel.name, new Map(rows.map((r) => [r.id, r])));
  }
  let interactionSql = `SELECT * FROM ${q(TABLES.interaction)} WHERE contact_id IN (${idList})`;
  const params: string[] = [...ids];
  if (interactionTypes) {
    if (interactionTypes.length === 0) interactionSql += ' AND false';
    else interactionSql += ` AND type IN (${interactionTypes.map((_, i) => `$${ids.length + i + 1}`).join(', ')})`;
    params.push(...interactionTypes);
  }
  const interactions = await db.all<InteractionRow & { contact_id: string }>(`${interactionSql} ORDER BY occurred_at`, params);
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

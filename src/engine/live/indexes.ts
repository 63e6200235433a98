import type { SqlRunner } from '../../store/store.js';

/**
 * Point-lookup indexes the live path needs to load a few contacts (and their interactions and
 * memberships) without scanning whole tables. Created when segments first go live rather than
 * by a migration: bulk loads before that stay as fast as possible, and a database used only
 * for batch evaluation never pays for them.
 */
const INDEXES = [
  'CREATE INDEX IF NOT EXISTS contacts_id_idx ON contacts (id)',
  'CREATE INDEX IF NOT EXISTS accounts_id_idx ON accounts (id)',
  'CREATE INDEX IF NOT EXISTS interactions_contact_idx ON interactions (contact_id)',
  'CREATE INDEX IF NOT EXISTS memberships_contact_idx ON memberships (contact_id)',
  'CREATE INDEX IF NOT EXISTS live_schedule_contact_idx ON live_schedule (contact_id)',
];

const ensured = new WeakSet<object>();

export async function ensureLiveIndexes(db: SqlRunner): Promise<void> {
  if (ensured.has(db)) return;
  for (const sql of INDEXES) await db.run(sql);
  ensured.add(db);
}

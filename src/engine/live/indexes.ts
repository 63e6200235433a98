import type { SqlRunner } from '../../store/store.js';

/**
 * Point-lookup indexes the one-shot live path (DatabaseSource) needs to load a few contacts
 * (and their interactions and memberships) without scanning whole tables. Created when that
 * path first runs rather than by a migration: bulk loads stay as fast as possible, and a
 * database used only for batch evaluation never pays for them.
 *
 * A long-running process reads nothing by contact (its resident state holds it) and drops the
 * write-heavy ones: measured at 1M contacts / 10M interactions, appending 2,000 interactions
 * took 230–450 ms with the contact index and 4–9 ms without, and the checkpoint after it
 * ~400 ms against ~20 ms. A later one-shot command builds them again once (~20 s at that size).
 */
const INDEXES = [
  'CREATE INDEX IF NOT EXISTS contacts_id_idx ON contacts (id)',
  'CREATE INDEX IF NOT EXISTS accounts_id_idx ON accounts (id)',
  'CREATE INDEX IF NOT EXISTS interactions_contact_idx ON interactions (contact_id)',
  'CREATE INDEX IF NOT EXISTS memberships_contact_idx ON memberships (contact_id)',
  'CREATE INDEX IF NOT EXISTS live_schedule_contact_idx ON live_schedule (contact_id)',
];

/** Indexes every write to a hot table must maintain: dropped by long-running processes. */
const WRITE_HEAVY = ['interactions_contact_idx', 'memberships_contact_idx', 'live_schedule_contact_idx'];

const ensured = new WeakSet<object>();

export async function ensureLiveIndexes(db: SqlRunner): Promise<void> {
  if (ensured.has(db)) return;
  for (const sql of INDEXES) await db.run(sql);
  ensured.add(db);
}

export async function dropWriteHeavyIndexes(db: SqlRunner): Promise<void> {
  for (const name of WRITE_HEAVY) await db.run(`DROP INDEX IF EXISTS ${name}`);
  ensured.delete(db);
}

import { DEFAULT_ATTRIBUTES, STANDARD_INTERACTION_TYPES, TABLES } from '../schema/defaults.js';
import type { RecordKind } from '../schema/types.js';
import { SEQUENCE_BLOCK } from './sequences.js';
import type { SqlRunner } from './store.js';

/**
 * Versioned migrations, applied in order on open inside one transaction. Each one is
 * written once and never edited after it ships; changes come as new migrations.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: SqlRunner): Promise<void>;
}

const q = (db: SqlRunner, s: string): string => db.dialect.ident(s);

async function createRecordTable(db: SqlRunner, kind: RecordKind): Promise<void> {
  const cols = DEFAULT_ATTRIBUTES.filter((a) => a.entity === kind).map(
    (a) => `${q(db, a.name)} ${db.dialect.columnType(a.type)}`,
  );
  const head =
    kind === 'interaction'
      ? ['id VARCHAR', 'contact_id VARCHAR NOT NULL', 'type VARCHAR NOT NULL', 'occurred_at TIMESTAMPTZ NOT NULL']
      : ['id VARCHAR NOT NULL'];
  await db.run(`CREATE TABLE ${q(db, TABLES[kind])} (${[...head, ...cols].join(', ')})`);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    async up(db) {
      await db.run(`CREATE TABLE schema_attributes (
        entity VARCHAR NOT NULL, name VARCHAR NOT NULL, type VARCHAR NOT NULL,
        queryable BOOLEAN NOT NULL, builtin BOOLEAN NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (entity, name))`);
      await db.run(`CREATE TABLE schema_interaction_types (
        name VARCHAR PRIMARY KEY, queryable BOOLEAN NOT NULL, builtin BOOLEAN NOT NULL)`);
      let position = 0;
      for (const a of DEFAULT_ATTRIBUTES) {
        await db.run('INSERT INTO schema_attributes VALUES ($1, $2, $3, $4, $5, $6)', [
          a.entity, a.name, a.type, a.queryable, a.builtin, position++,
        ]);
      }
      for (const t of STANDARD_INTERACTION_TYPES) {
        await db.run('INSERT INTO schema_interaction_types VALUES ($1, $2, $3)', [t.name, t.queryable, t.builtin]);
      }
      for (const kind of ['contact', 'account', 'lead', 'interaction'] as const) await createRecordTable(db, kind);

      await db.run(`CREATE TABLE segments (
        id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, description VARCHAR, type VARCHAR NOT NULL,
        status VARCHAR NOT NULL, version INTEGER NOT NULL, error VARCHAR,
        created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
        evaluated_at TIMESTAMPTZ, member_count BIGINT NOT NULL DEFAULT 0)`);
      // Every saved version is kept: the definition history is part of the audit trail.
      await db.run(`CREATE TABLE segment_versions (
        segment_id VARCHAR NOT NULL, version INTEGER NOT NULL, definition VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (segment_id, version))`);
      await db.run(`CREATE TABLE memberships (
        segment_id VARCHAR NOT NULL, contact_id VARCHAR NOT NULL, since TIMESTAMPTZ NOT NULL)`);
      await db.run('CREATE SEQUENCE membership_change_seq START 1');
      await db.run(`CREATE TABLE membership_changes (
        seq BIGINT NOT NULL DEFAULT nextval('membership_change_seq'),
        segment_id VARCHAR NOT NULL, contact_id VARCHAR NOT NULL, change VARCHAR NOT NULL,
        changed_at TIMESTAMPTZ NOT NULL, cause VARCHAR NOT NULL, recorded_at TIMESTAMPTZ NOT NULL)`);
    },
  },
  {
    version: 2,
    name: 'live segments: change queue and time schedule',
    async up(db) {
      // Contacts whose data changed and whose live memberships are not yet brought up to date.
      // Written in the same transaction as the data change, so a crash loses no change.
      // `source`: 'contact' | 'account' | 'interaction:<type>' | 'deleted' | 'segment:<id>'.
      await db.run('CREATE SEQUENCE live_dirty_seq START 1');
      await db.run(`CREATE TABLE live_dirty (
        seq BIGINT NOT NULL DEFAULT nextval('live_dirty_seq'), contact_id VARCHAR NOT NULL,
        source VARCHAR NOT NULL, enqueued_at TIMESTAMPTZ NOT NULL)`);
      // The next instant each contact's membership of a time-dependent live segment can change
      // with no data change (a window passing); one row per contact, the earliest.
      await db.run('CREATE TABLE live_schedule (contact_id VARCHAR NOT NULL, due_at TIMESTAMPTZ NOT NULL)');
    },
  },
  {
    version: 3,
    name: 'live segments: per-segment schedule, membership log watermark',
    async up(db) {
      // The schedule becomes per (contact, segment) and append-only: the row with the highest
      // seq of a pair is its current next instant (NULL: none), so a batch appends its new
      // instants in one statement instead of deleting rows one index lookup at a time.
      // A time step then evaluates only the segments whose boundary passed. Rows carried over
      // from version 2 name no segment ('*'): they re-evaluate every time-dependent segment.
      await db.run('CREATE SEQUENCE live_schedule_seq START 1');
      await db.run(`CREATE TABLE live_schedule_v3 (
        seq BIGINT NOT NULL DEFAULT nextval('live_schedule_seq'), contact_id VARCHAR NOT NULL,
        segment_id VARCHAR NOT NULL, due_at TIMESTAMPTZ)`);
      await db.run(`INSERT INTO live_schedule_v3 (contact_id, segment_id, due_at) SELECT contact_id, '*', due_at FROM live_schedule`);
      await db.run('DROP TABLE live_schedule');
      await db.run('ALTER TABLE live_schedule_v3 RENAME TO live_schedule');
      // The membership table is a materialisation of the change log: `memberships_seq` is the
      // last change applied to it (and to segments.member_count). The live path may defer
      // applying its changes; everything that reads memberships applies the rest first.
      await db.run('CREATE TABLE live_state (memberships_seq BIGINT NOT NULL)');
      await db.run('INSERT INTO live_state SELECT coalesce(max(seq), 0) FROM membership_changes');
    },
  },
  {
    version: 4,
    name: 'live segments: sequences handed out in blocks',
    async up(db) {
      // The live path appends thousands of log and schedule rows per batch with the bulk
      // appender and numbers them itself. One nextval per row cost ~2.7 µs in a file database
      // (each is logged); a sequence stepping by SEQUENCE_BLOCK hands out a block per call.
      // Order and uniqueness are all `seq` promises, so gaps between rows are harmless.
      for (const [table, old, seq] of [
        ['membership_changes', 'membership_change_seq', 'membership_change_block_seq'],
        ['live_schedule', 'live_schedule_seq', 'live_schedule_block_seq'],
      ] as const) {
        const [row] = await db.all<{ next: number }>(`SELECT coalesce(max(seq), 0) + 1 AS next FROM ${table}`);
        await db.run(`CREATE SEQUENCE ${seq} START ${Number(row!.next)} INCREMENT BY ${SEQUENCE_BLOCK}`);
        await db.run(`ALTER TABLE ${table} ALTER COLUMN seq SET DEFAULT nextval('${seq}')`);
        await db.run(`DROP SEQUENCE ${old}`);
      }
    },
  },
  {
    version: 5,
    name: 'HTTP API: keys and audit log',
    async up(db) {
      // A key is shown once, when created; only its SHA-256 is stored. `prefix` (its first
      // characters) names it in listings and logs without revealing it.
      await db.run(`CREATE TABLE api_keys (
        id VARCHAR PRIMARY KEY, prefix VARCHAR NOT NULL, hash VARCHAR NOT NULL UNIQUE, role VARCHAR NOT NULL,
        name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL, revoked_at TIMESTAMPTZ)`);
      // Who changed which segment, how, and between which versions.
      await db.run('CREATE SEQUENCE audit_seq START 1');
      await db.run(`CREATE TABLE audit_log (
        seq BIGINT NOT NULL DEFAULT nextval('audit_seq'), happened_at TIMESTAMPTZ NOT NULL, actor VARCHAR NOT NULL,
        action VARCHAR NOT NULL, segment_id VARCHAR NOT NULL, version_before INTEGER, version_after INTEGER)`);
    },
  },
  {
    version: 6,
    name: 'webhooks: subscriptions, their cursors and the delivery log',
    async up(db) {
      // A webhook delivers its segment's change log in order from `delivered_seq` on: the log is
      // the durable queue, so deliveries survive a restart and retry until acknowledged.
      // `secret` signs the payloads (HMAC-SHA256); it is shown once, when the webhook is made.
      await db.run(`CREATE TABLE webhooks (
        id VARCHAR PRIMARY KEY, segment_id VARCHAR NOT NULL, url VARCHAR NOT NULL, secret VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL, delivered_seq BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TIMESTAMPTZ, last_error VARCHAR)`);
      await db.run('CREATE SEQUENCE webhook_delivery_seq START 1');
      await db.run(`CREATE TABLE webhook_deliveries (
        seq BIGINT NOT NULL DEFAULT nextval('webhook_delivery_seq'), webhook_id VARCHAR NOT NULL,
        attempted_at TIMESTAMPTZ NOT NULL, first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL, changes INTEGER NOT NULL,
        attempt INTEGER NOT NULL, status_code INTEGER, error VARCHAR, duration_ms DOUBLE NOT NULL, delivered BOOLEAN NOT NULL)`);
    },
  },
  {
    version: 7,
    name: 'change log: direction and cause as enums',
    async up(db) {
      // The live path appends ~5 log rows per interaction; as text, these two columns cost
      // ~0.5 µs a row to append and commit, a byte each as ENUMs. Reads see the same words, and
      // a word outside the list is refused. The engine's lists (CHANGE_KINDS, CHANGE_CAUSES)
      // match these; a new cause needs a migration that widens the type.
      await db.run("CREATE TYPE membership_change_kind AS ENUM ('entered', 'exited')");
      await db.run("CREATE TYPE membership_change_cause AS ENUM ('go_live', 'definition_edit', 'refresh', 'manual', 'data_change', 'time')");
      await db.run('ALTER TABLE membership_changes ALTER COLUMN change TYPE membership_change_kind');
      await db.run('ALTER TABLE membership_changes ALTER COLUMN cause TYPE membership_change_cause');
    },
  },
  {
    version: 8,
    name: 'schema registry: display labels',
    async up(db) {
      // Only the labels an admin set are stored; every other name reads under a default derived
      // from it (src/schema/labels.ts), so better defaults reach existing databases by themselves.
      // `entity` is contact/account/lead/interaction (an attribute or a relation of it: their
      // names are unique per entity) or 'interaction_type'.
      await db.run(`CREATE TABLE schema_labels (
        entity VARCHAR NOT NULL, name VARCHAR NOT NULL, label VARCHAR NOT NULL, PRIMARY KEY (entity, name))`);
    },
  },
];


export async function migrate(db: SqlRunner, current: number, now: () => Date): Promise<number> {
  let version = current;
  for (const m of MIGRATIONS) {
    if (m.version <= version) continue;
    await m.up(db);
    await db.run('INSERT INTO schema_migrations VALUES ($1, $2, CAST($3 AS TIMESTAMPTZ))', [
      m.version, m.name, now().toISOString(),
    ]);
    version = m.version;
  }
  return version;
}

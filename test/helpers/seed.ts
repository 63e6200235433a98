import type { Query, SegmentDefinition } from '../../src/definition/ast.js';
import type { Engine } from '../../src/engine/engine.js';
import { TABLES } from '../../src/schema/defaults.js';
import type { AttributeType, RecordKind } from '../../src/schema/types.js';
import type { SqlValue } from '../../src/store/store.js';

/**
 * Small hand-written or generated data sets, inserted with parameterised INSERTs straight
 * into the store. Deliberately independent of the import pipeline, so segment tests do not
 * depend on it (and a broken importer cannot hide a broken compiler).
 */

export type Value = string | number | boolean | null;

/** A profile record: `id` plus attribute columns; absent keys are null. Dates are ISO strings. */
export interface EntityRow {
  id: string;
  [attribute: string]: Value | undefined;
}

/** An interaction: the fixed columns plus property columns (`campaign_id`, …). */
export interface InteractionRow {
  id?: string | null;
  contact_id: string;
  type: string;
  /** ISO 8601 date-time with zone. */
  occurred_at: string;
  [property: string]: Value | undefined;
}

export interface DataSet {
  contacts?: EntityRow[];
  accounts?: EntityRow[];
  leads?: EntityRow[];
  interactions?: InteractionRow[];
}

/** Columns that exist on a table but are not attributes in the registry. */
const FIXED_COLUMNS: Record<RecordKind, Record<string, AttributeType>> = {
  contact: { id: 'string' },
  account: { id: 'string' },
  lead: { id: 'string' },
  interaction: { id: 'string', contact_id: 'string', type: 'string', occurred_at: 'datetime' },
};

const ROWS_PER_STATEMENT = 200;

function columnType(engine: Engine, kind: RecordKind, column: string): AttributeType {
  const fixed = FIXED_COLUMNS[kind][column];
  if (fixed) return fixed;
  const attr = engine.registry.attribute(kind, column);
  if (!attr) throw new Error(`seed: ${kind} has no column "${column}"`);
  return attr.type;
}

async function insertRows(engine: Engine, kind: RecordKind, rows: readonly Record<string, Value | undefined>[]): Promise<void> {
  if (rows.length === 0) return;
  const d = engine.store.dialect;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const types = columns.map((c) => columnType(engine, kind, c));
  const head = `INSERT INTO ${d.ident(TABLES[kind])} (${columns.map((c) => d.ident(c)).join(', ')}) VALUES `;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const batch = rows.slice(start, start + ROWS_PER_STATEMENT);
    const params: SqlValue[] = [];
    const tuples = batch.map((row) => {
      const cells = columns.map((c, i) => {
        params.push(row[c] ?? null);
        return d.param(params.length, types[i]!);
      });
      return `(${cells.join(', ')})`;
    });
    await engine.store.run(head + tuples.join(', '), params);
  }
}

/** Insert a data set (appends; use `clearData` first to replace). */
export async function seed(engine: Engine, data: DataSet): Promise<void> {
  await insertRows(engine, 'account', data.accounts ?? []);
  await insertRows(engine, 'contact', data.contacts ?? []);
  await insertRows(engine, 'lead', data.leads ?? []);
  await insertRows(engine, 'interaction', data.interactions ?? []);
}

/** Remove every contact, account, lead and interaction (segments and memberships stay). */
export async function clearData(engine: Engine): Promise<void> {
  for (const kind of ['interaction', 'lead', 'contact', 'account'] as const) {
    await engine.store.run(`DELETE FROM ${engine.store.dialect.ident(TABLES[kind])}`);
  }
}

/** The ids a member-source SQL statement returns, sorted. */
export async function runMemberSource(engine: Engine, source: { sql: string; params: SqlValue[] }): Promise<string[]> {
  const rows = await engine.store.all<{ id: string }>(source.sql, source.params);
  return rows.map((r) => r.id).sort();
}

/** Current stored members of a segment, sorted. */
export async function storedMembers(engine: Engine, segmentId: string): Promise<string[]> {
  // As every reader through the engine does: deferred live changes reach the table first.
  await engine.live.sync();
  const rows = await engine.store.all<{ contact_id: string }>(
    'SELECT contact_id FROM memberships WHERE segment_id = $1 ORDER BY contact_id',
    [segmentId],
  );
  return rows.map((r) => r.contact_id);
}

export interface ChangeRow {
  contact_id: string;
  change: 'entered' | 'exited';
  cause: string;
}

/** The membership change log of a segment, in recording order. */
export async function changeLog(engine: Engine, segmentId: string): Promise<ChangeRow[]> {
  return engine.store.all<ChangeRow & Record<string, unknown>>(
    'SELECT contact_id, change, cause FROM membership_changes WHERE segment_id = $1 ORDER BY seq',
    [segmentId],
  );
}

let previewCounter = 0;

/**
 * Evaluate a query through the public API both ways: `estimate` (the count) and a saved
 * draft's `memberSource` (the ids). Throws if the two disagree; returns the sorted ids.
 */
export async function evaluate(engine: Engine, query: Query): Promise<string[]> {
  const id = `preview-${++previewCounter}`;
  const def: SegmentDefinition = { id, name: id, type: 'dynamic', query };
  const estimate = await engine.segments.estimate(def);
  await engine.segments.create(def);
  try {
    const ids = await runMemberSource(engine, await engine.segments.memberSource(id));
    if (ids.length !== estimate.total) {
      throw new Error(`estimate says ${estimate.total} members, memberSource returned ${ids.length}`);
    }
    return ids;
  } finally {
    await engine.segments.delete(id);
  }
}

import { applyMembershipLog } from '../live/log.js';
import { dropSegmentSchedule } from '../live/schedule.js';
import type { SegmentDefinition, SegmentType } from '../../definition/ast.js';
import { referencedSegments } from '../../definition/ast.js';
import { SegmataError } from '../../errors.js';
import type { SqlRunner } from '../../store/store.js';
import type { SegmentRecord, SegmentStatus } from './types.js';

interface SegmentRow {
  id: string;
  name: string;
  description: string | null;
  type: string;
  status: string;
  version: number;
  error: string | null;
  created_at: Date;
  updated_at: Date;
  evaluated_at: Date | null;
  member_count: number;
  definition: string;
  [k: string]: unknown;
}

const SELECT = `SELECT s.*, v.definition FROM segments s
  JOIN segment_versions v ON v.segment_id = s.id AND v.version = s.version`;

function toRecord(r: SegmentRow): SegmentRecord {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    type: r.type as SegmentType,
    status: r.status as SegmentStatus,
    version: r.version,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    evaluatedAt: r.evaluated_at,
    memberCount: r.member_count,
    definition: JSON.parse(r.definition) as SegmentDefinition,
  };
}

/** Persistence of segments and their versions; no business rules here. */
export const segmentRepository = {
  async list(db: SqlRunner): Promise<SegmentRecord[]> {
    return (await db.all<SegmentRow>(`${SELECT} ORDER BY s.id`)).map(toRecord);
  },

  async find(db: SqlRunner, id: string): Promise<SegmentRecord | undefined> {
    const rows = await db.all<SegmentRow>(`${SELECT} WHERE s.id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  },

  async get(db: SqlRunner, id: string): Promise<SegmentRecord> {
    const found = await segmentRepository.find(db, id);
    if (!found) throw new SegmataError('not_found', `segment "${id}" does not exist`);
    return found;
  },

  async insert(db: SqlRunner, def: SegmentDefinition, now: Date): Promise<void> {
    const at = now.toISOString();
    await db.run(
      `INSERT INTO segments (id, name, description, type, status, version, created_at, updated_at, member_count)
       VALUES ($1, $2, $3, $4, 'draft', 1, CAST($5 AS TIMESTAMPTZ), CAST($5 AS TIMESTAMPTZ), 0)`,
      [def.id, def.name, def.description ?? null, def.type, at],
    );
    await segmentRepository.insertVersion(db, def, 1, now);
  },

  async insertVersion(db: SqlRunner, def: SegmentDefinition, version: number, now: Date): Promise<void> {
    await db.run('INSERT INTO segment_versions VALUES ($1, $2, $3, CAST($4 AS TIMESTAMPTZ))', [
      def.id, version, JSON.stringify(def), now.toISOString(),
    ]);
  },

  async updateDefinition(db: SqlRunner, def: SegmentDefinition, version: number, now: Date): Promise<void> {
    await segmentRepository.insertVersion(db, def, version, now);
    await db.run(
      'UPDATE segments SET name = $2, description = $3, version = $4, updated_at = CAST($5 AS TIMESTAMPTZ) WHERE id = $1',
      [def.id, def.name, def.description ?? null, version, now.toISOString()],
    );
  },

  async setStatus(db: SqlRunner, id: string, status: SegmentStatus, now: Date, error: string | null = null): Promise<void> {
    await db.run('UPDATE segments SET status = $2, error = $3, updated_at = CAST($4 AS TIMESTAMPTZ) WHERE id = $1', [
      id, status, error, now.toISOString(),
    ]);
  },

  async versions(db: SqlRunner, id: string): Promise<{ version: number; createdAt: Date; definition: SegmentDefinition }[]> {
    const rows = await db.all<{ version: number; created_at: Date; definition: string }>(
      'SELECT version, created_at, definition FROM segment_versions WHERE segment_id = $1 ORDER BY version',
      [id],
    );
    return rows.map((r) => ({ version: r.version, createdAt: r.created_at, definition: JSON.parse(r.definition) as SegmentDefinition }));
  },

  async delete(db: SqlRunner, id: string): Promise<void> {
    // Changes of this segment still waiting in the log must not land after it is gone.
    await applyMembershipLog(db);
    await dropSegmentSchedule(db, id);
    for (const table of ['memberships', 'segment_versions']) {
      await db.run(`DELETE FROM ${table} WHERE segment_id = $1`, [id]);
    }
    await db.run('DELETE FROM segments WHERE id = $1', [id]);
  },
};

/** Segments that reference `id` directly. */
export function referrers(all: SegmentRecord[], id: string): SegmentRecord[] {
  return all.filter((s) => referencedSegments(s.definition.query).includes(id));
}

import type { SqlRunner } from '../../store/store.js';
import type { SegmentType } from '../../definition/ast.js';
import type { SegmentStatus } from '../segments/types.js';

export interface ContactSegment {
  segmentId: string;
  name: string;
  type: SegmentType;
  status: SegmentStatus;
  /** When it last entered (from the change log); null if the log has no entry (a member from before it). */
  enteredAt: Date | null;
}

export interface ContactChange {
  segmentId: string;
  name: string;
  change: 'entered' | 'exited';
  at: Date;
  cause: string;
}

/**
 * The segments a contact is in now (stored memberships: live, stopped and static segments,
 * which the caller has brought up to date) and its latest entries and exits, newest first.
 * Two indexed-by-contact reads, whatever the number of segments.
 */
export async function segmentsOfContact(db: SqlRunner, contactId: string, changeLimit: number): Promise<{ items: ContactSegment[]; changes: ContactChange[] }> {
  const items = await db.all<{ segment_id: string; name: string; type: SegmentType; status: SegmentStatus; entered_at: Date | null }>(
    `SELECT m.segment_id, s.name, s.type, s.status,
            (SELECT max(c.changed_at) FROM membership_changes AS c
              WHERE c.contact_id = m.contact_id AND c.segment_id = m.segment_id AND c.change = 'entered') AS entered_at
     FROM memberships AS m JOIN segments AS s ON s.id = m.segment_id
     WHERE m.contact_id = $1 ORDER BY s.name, m.segment_id`,
    [contactId],
  );
  const changes = await db.all<{ segment_id: string; name: string; change: 'entered' | 'exited'; changed_at: Date; cause: string }>(
    `SELECT c.segment_id, s.name, c.change, c.changed_at, c.cause
     FROM membership_changes AS c JOIN segments AS s ON s.id = c.segment_id
     WHERE c.contact_id = $1 ORDER BY c.seq DESC LIMIT ${Math.floor(changeLimit)}`,
    [contactId],
  );
  return {
    items: items.map((r) => ({ segmentId: r.segment_id, name: r.name, type: r.type, status: r.status, enteredAt: r.entered_at })),
    changes: changes.map((r) => ({ segmentId: r.segment_id, name: r.name, change: r.change, at: r.changed_at, cause: r.cause })),
  };
}

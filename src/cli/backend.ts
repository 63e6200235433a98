import type { Role } from '../engine/access/keys.js';
import type { ImportKind, ImportOptions, ImportReport } from '../engine/import/types.js';
import type { EntityKind } from '../engine/records/upsert.js';
import type { ChangeRow } from '../engine/segments/members.js';
import type { Estimate, EvaluationResult, SegmentRecord } from '../engine/segments/types.js';
import type { AttributeType, RecordKind, SchemaSnapshot } from '../schema/types.js';
import type { Row } from '../store/store.js';

/**
 * What the CLI's commands do, on a local database (the engine in this process) or through a
 * running server's HTTP API (`--server URL --key KEY`): the same commands, the same output.
 */
export interface Backend {
  segments: {
    list(): Promise<SegmentRecord[]>;
    get(id: string): Promise<SegmentRecord>;
    create(definition: unknown): Promise<SegmentRecord>;
    update(id: string, definition: unknown): Promise<SegmentRecord>;
    goLive(id: string): Promise<EvaluationResult>;
    stop(id: string): Promise<void>;
    delete(id: string): Promise<void>;
    /** One live segment (and its dependents), or every live one. */
    refresh(id?: string): Promise<EvaluationResult[]>;
    estimate(definition: unknown): Promise<Estimate>;
    changeMembers(id: string, ids: string[], mode: 'add' | 'remove'): Promise<number>;
  };
  /** Members in contact-id order, a page at a time; with `withProfile`, their contact attributes. */
  members(id: string, withProfile: boolean): AsyncGenerator<Row[]>;
  /** The explanation as words, and as JSON for `--json`. */
  explain(id: string, contactId: string): Promise<{ text: string; json: unknown }>;
  /** Changes after `afterSeq`, at or after `since`, oldest first (a bounded page). */
  changes(id: string, since: Date | undefined, afterSeq: number): Promise<ChangeRow[]>;
  /** Until interrupted: `onChanges` after new changes may have been recorded (local: each live pass). */
  follow(id: string, onChanges: () => Promise<void>): Promise<void>;
  importFile(kind: ImportKind, path: string, options: ImportOptions): Promise<ImportReport>;
  schema(): Promise<SchemaSnapshot>;
  addAttribute(entity: RecordKind, name: string, type: AttributeType, queryable: boolean): Promise<void>;
  addInteractionType(name: string, queryable: boolean): Promise<void>;
  setQueryable(entity: string, name: string, queryable: boolean): Promise<void>;
  /** Set the display label of an attribute, relation or interaction type; null: back to the default. */
  setLabel(entity: string, name: string, label: string | null): Promise<void>;
  deleteRecords(kind: EntityKind, ids: string[]): Promise<number>;
  /** Contact attribute name → type (how to print member rows). */
  contactTypes(): Promise<Map<string, string>>;
  createKey(role: Role, name: string): Promise<{ id: string; role: Role; name: string; key: string }>;
}

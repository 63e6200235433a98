import type { SegmentDefinition, SegmentType } from '../../definition/ast.js';
import type { JsonShape } from '../json-shape.js';

export type SegmentStatus = 'draft' | 'live' | 'stopped' | 'error';

/** Why a membership changed, recorded with every entry and exit; the change log stores it as an ENUM of these words (migration 7). */
export const CHANGE_CAUSES = ['go_live', 'definition_edit', 'refresh', 'manual', 'data_change', 'time'] as const;
export type ChangeCause = (typeof CHANGE_CAUSES)[number];
/** A change log entry's direction, stored as an ENUM of these words. */
export const CHANGE_KINDS = ['entered', 'exited'] as const;

export interface SegmentRecord {
  id: string;
  name: string;
  description: string | null;
  type: SegmentType;
  status: SegmentStatus;
  version: number;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  evaluatedAt: Date | null;
  memberCount: number;
  definition: SegmentDefinition;
}

/** A segment as the HTTP API carries it. */
export type SegmentJson = JsonShape<SegmentRecord>;

export interface MembershipChange {
  seq: number;
  segmentId: string;
  contactId: string;
  change: 'entered' | 'exited';
  at: Date;
  cause: ChangeCause;
}

export interface EvaluationResult {
  segmentId: string;
  members: number;
  entered: number;
  exited: number;
  ms: number;
}

export interface Estimate {
  total: number;
  blocks: { index: number; kind: string; count: number }[];
  ms: number;
}

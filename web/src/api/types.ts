/** The shapes the API answers with (see /api/v1/openapi.json), as the UI reads them. */
import type { SegmentDefinition, SegmentType } from '../../../src/definition/ast.js';
import type { SegmentJson, SegmentStatus } from '../../../src/engine/segments/types.js';

export type { SegmentDefinition, SegmentStatus, SegmentType };

export interface Page<T> {
  items: T[];
  next?: string;
  total?: number;
}

/** A segment as the API answers it (the server's own `SegmentJson`). */
export type Segment = SegmentJson;

export interface EvaluationResult {
  segment: Segment;
  members?: number;
  entered?: number;
  exited?: number;
  ms?: number;
}

export type AttributeType = 'string' | 'number' | 'boolean' | 'date' | 'datetime';

export interface Attribute {
  name: string;
  type: AttributeType;
  queryable: boolean;
  builtin: boolean;
}

export interface Schema {
  entities: { name: 'contact' | 'account' | 'lead' | 'interaction'; attributes: Attribute[] }[];
  interactionTypes: { name: string; queryable?: boolean; builtin?: boolean }[];
}

export type ContactRecord = { id: string } & Record<string, unknown>;

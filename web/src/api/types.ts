/** The shapes the API answers with (see /api/v1/openapi.json), as the UI reads them. */
import type { SegmentDefinition, SegmentType } from '../../../src/definition/ast.js';

export type { SegmentDefinition, SegmentType };
export type SegmentStatus = 'draft' | 'live' | 'stopped' | 'error';

export interface Page<T> {
  items: T[];
  next?: string;
  total?: number;
}

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  type: SegmentType;
  status: SegmentStatus;
  version: number;
  error: string | null;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
  evaluatedAt: string | null;
  definition: SegmentDefinition;
}

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

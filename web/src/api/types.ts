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

/** How a name reads: `label` (the one an admin set, or the default) and the default it goes back to. */
export interface Labelled {
  label?: string;
  defaultLabel?: string;
}

export interface Attribute extends Labelled {
  name: string;
  type: AttributeType;
  queryable: boolean;
  builtin: boolean;
}

/** A many-to-one relation: `from.via` holds a `to` record's id, reached in paths as `name.attr`. */
export interface SchemaRelation extends Labelled {
  from: string;
  name: string;
  via: string;
  to: string;
}

export interface Schema {
  entities: { name: 'contact' | 'account' | 'lead' | 'interaction'; attributes: Attribute[] }[];
  interactionTypes: ({ name: string; queryable?: boolean; builtin?: boolean } & Labelled)[];
  relations?: SchemaRelation[];
}

export type ContactRecord = { id: string } & Record<string, unknown>;

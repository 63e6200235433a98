/** The schema registry: which entities, attributes and interaction types exist (SPEC §1). */
import type { LabelDef } from './labels.js';

export type AttributeType = 'string' | 'number' | 'boolean' | 'date' | 'datetime';
export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['string', 'number', 'boolean', 'date', 'datetime'];

export type EntityName = 'contact' | 'account' | 'lead';
export const ENTITY_NAMES: readonly EntityName[] = ['contact', 'account', 'lead'];

/** Interaction properties live in the registry under this pseudo-entity. */
export type RecordKind = EntityName | 'interaction';
export const RECORD_KINDS: readonly RecordKind[] = [...ENTITY_NAMES, 'interaction'];

export interface AttributeDef {
  entity: RecordKind;
  name: string;
  type: AttributeType;
  /** May segment conditions use it? (the "sync selection" of the product this replaces) */
  queryable: boolean;
  /** Part of the default schema (cannot be removed). */
  builtin: boolean;
}

export interface InteractionTypeDef {
  name: string;
  queryable: boolean;
  builtin: boolean;
}

/** A many-to-one relation: `from.via` holds the id of a `to` record, reachable as `name.attr`. */
export interface RelationDef {
  from: EntityName;
  name: string;
  via: string;
  to: EntityName;
}

export interface SchemaSnapshot {
  attributes: AttributeDef[];
  interactionTypes: InteractionTypeDef[];
  /** The display labels an admin set (./labels.ts); every other name reads under its default. */
  labels?: LabelDef[];
}

import { SegmataError } from '../errors.js';
import { RELATIONS } from './defaults.js';
import { makeLabels, type LabelDef, type LabelOwner, type Labels } from './labels.js';
import type { AttributeDef, AttributeType, EntityName, InteractionTypeDef, RecordKind, SchemaSnapshot } from './types.js';

/** Attribute and property names become SQL column names, so they are kept to a safe shape. */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
const RESERVED = new Set(['id', 'contact_id', 'type', 'occurred_at', 'properties']);
/**
 * Names that match the pattern but are properties of every JavaScript object: records, labels
 * and JSON rows are keyed by name, so such a name would read as inherited (a `constructor`
 * interaction type was shown with a function for its label, and GET /schema failed from then on).
 */
const PROTOTYPE_NAMES = new Set(['constructor', 'prototype']);

/** A resolved attribute path such as `account.industry`. */
export interface ResolvedPath {
  /** Relation hops from the start entity (empty for a direct attribute). */
  hops: { name: string; via: string; to: EntityName }[];
  attribute: AttributeDef;
}

/** Read-only view over the registry, used by validation, the compiler and the importers. */
export class SchemaRegistry {
  private readonly byKind = new Map<RecordKind, Map<string, AttributeDef>>();
  private readonly interactionTypes = new Map<string, InteractionTypeDef>();
  private readonly labelsSet: readonly LabelDef[];
  private readonly labelsOf: Labels;

  constructor(snapshot: SchemaSnapshot) {
    this.labelsSet = snapshot.labels ?? [];
    this.labelsOf = makeLabels(this.labelsSet);
    for (const a of snapshot.attributes) {
      let m = this.byKind.get(a.entity);
      if (!m) this.byKind.set(a.entity, (m = new Map()));
      m.set(a.name, a);
    }
    for (const t of snapshot.interactionTypes) this.interactionTypes.set(t.name, t);
  }

  snapshot(): SchemaSnapshot {
    return {
      attributes: [...this.byKind.values()].flatMap((m) => [...m.values()]),
      interactionTypes: [...this.interactionTypes.values()],
      labels: [...this.labelsSet],
    };
  }

  /** How a name reads: the label an admin set, or the default derived from the name. */
  label(entity: LabelOwner, name: string): string {
    return this.labelsOf.of(entity, name);
  }

  /** The label an admin set, if any. */
  customLabel(entity: LabelOwner, name: string): string | undefined {
    return this.labelsSet.find((l) => l.entity === entity && l.name === name)?.label;
  }

  /** Labels for describe.ts and explain: these names, and segments under the names given. */
  labels(segmentNames?: ReadonlyMap<string, string>): Labels {
    return makeLabels(this.labelsSet, segmentNames);
  }

  /** Does `entity` have an attribute, a relation or (entity `interaction_type`) a type called `name`? */
  hasLabelOwner(entity: LabelOwner, name: string): boolean {
    if (entity === 'interaction_type') return this.interactionTypes.has(name);
    return this.attribute(entity, name) !== undefined || RELATIONS.some((r) => r.from === entity && r.name === name);
  }

  attributes(kind: RecordKind): AttributeDef[] {
    return [...(this.byKind.get(kind)?.values() ?? [])];
  }

  attribute(kind: RecordKind, name: string): AttributeDef | undefined {
    return this.byKind.get(kind)?.get(name);
  }

  interactionType(name: string): InteractionTypeDef | undefined {
    return this.interactionTypes.get(name);
  }

  allInteractionTypes(): InteractionTypeDef[] {
    return [...this.interactionTypes.values()];
  }

  /**
   * Resolve `a.b.c` from `start` through many-to-one relations. Returns a reason string
   * instead of throwing, so validation can attach it to the right path.
   */
  resolve(start: RecordKind, path: string): ResolvedPath | string {
    const parts = path.split('.');
    const hops: ResolvedPath['hops'] = [];
    let kind: RecordKind = start;
    for (const part of parts.slice(0, -1)) {
      const rel = RELATIONS.find((r) => r.from === kind && r.name === part);
      if (!rel) return `"${part}" is not a relation of ${kind}`;
      hops.push({ name: rel.name, via: rel.via, to: rel.to });
      kind = rel.to;
    }
    const name = parts[parts.length - 1] ?? '';
    const attribute = this.attribute(kind, name);
    if (!attribute) {
      const known = this.attributes(kind).map((a) => a.name);
      return `unknown attribute "${name}" of ${kind} (known: ${known.join(', ')})`;
    }
    return { hops, attribute };
  }
}

export function checkNewAttribute(reg: SchemaRegistry, entity: RecordKind, name: string, type: AttributeType): void {
  if (!IDENTIFIER_PATTERN.test(name)) {
    throw new SegmataError(
      'invalid_schema_change',
      `attribute name "${name}" must start with a lowercase letter and contain only a-z, 0-9 and _ (at most 63 characters)`,
    );
  }
  if (RESERVED.has(name) || PROTOTYPE_NAMES.has(name)) throw new SegmataError('invalid_schema_change', `"${name}" is reserved`);
  const existing = reg.attribute(entity, name);
  if (existing) {
    throw new SegmataError(
      'conflict',
      `${entity} already has an attribute "${name}" (${existing.type})`,
    );
  }
  if (entity !== 'interaction' && RELATIONS.some((r) => r.from === entity && r.name === name)) {
    throw new SegmataError('invalid_schema_change', `"${name}" is the name of a relation of ${entity}`);
  }
  void type;
}

export function checkNewInteractionType(reg: SchemaRegistry, name: string): void {
  if (!IDENTIFIER_PATTERN.test(name)) {
    throw new SegmataError(
      'invalid_schema_change',
      `interaction type "${name}" must start with a lowercase letter and contain only a-z, 0-9 and _`,
    );
  }
  if (PROTOTYPE_NAMES.has(name)) throw new SegmataError('invalid_schema_change', `"${name}" is reserved`);
  if (reg.interactionType(name)) throw new SegmataError('conflict', `interaction type "${name}" already exists`);
}

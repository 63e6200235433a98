import type { SchemaRegistry } from '../../schema/registry.js';
import type { AttributeType, RecordKind } from '../../schema/types.js';
import type { ImportKind } from './types.js';

/** A column an import file may carry for its kind, and what a value in it must be. */
export interface TargetColumn {
  name: string;
  type: AttributeType;
  /** A row without a value here is bad. */
  required: boolean;
  /** The value must name a declared interaction type. */
  interactionType?: boolean;
}

const RECORD_KIND: Readonly<Record<ImportKind, RecordKind>> = {
  contacts: 'contact',
  accounts: 'account',
  leads: 'lead',
  interactions: 'interaction',
};

export function recordKindOf(kind: ImportKind): RecordKind {
  return RECORD_KIND[kind];
}

/** Every column a file of `kind` may have: the fixed ones, then the registry's attributes. */
export function targetColumns(kind: ImportKind, registry: SchemaRegistry): TargetColumn[] {
  const recordKind = recordKindOf(kind);
  const fixed: TargetColumn[] =
    recordKind === 'interaction'
      ? [
          // An interaction's id is optional: it only makes re-sending idempotent.
          { name: 'id', type: 'string', required: false },
          { name: 'contact_id', type: 'string', required: true },
          { name: 'type', type: 'string', required: true, interactionType: true },
          { name: 'occurred_at', type: 'datetime', required: true },
        ]
      : [{ name: 'id', type: 'string', required: true }];
  const attributes = registry.attributes(recordKind).map((a) => ({ name: a.name, type: a.type, required: false }));
  return [...fixed, ...attributes];
}

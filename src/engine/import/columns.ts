import type { SchemaRegistry } from '../../schema/registry.js';
import { jsonValueProblem } from '../records/value-rules.js';
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

/**
 * The stager's check of JSON values (API bodies, JSONL lines) for staged `columns`: each is taken
 * as its target's type declares, never coerced (see records/value-rules).
 */
export function jsonValueCheck(targets: readonly TargetColumn[], columns: readonly string[]): (column: number, value: unknown) => string | undefined {
  const byName = new Map(targets.map((t) => [t.name, t.type]));
  // Unknown keys are refused by the stager itself; they never reach the check.
  const types = columns.map((name) => byName.get(name) ?? 'string');
  return (column, value) => jsonValueProblem(types[column] ?? 'string', value);
}

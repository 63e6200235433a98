import type { SchemaRegistry } from '../../schema/registry.js';
import { identifierProblem, jsonValueProblem } from '../records/value-rules.js';
import type { AttributeType, RecordKind } from '../../schema/types.js';
import { referencesOf } from './references.js';
import type { ImportKind } from './types.js';

/** A column an import file may carry for its kind, and what a value in it must be. */
export interface TargetColumn {
  name: string;
  type: AttributeType;
  /** A row without a value here is bad. */
  required: boolean;
  /** The value must name a declared interaction type. */
  interactionType?: boolean;
  /** An id, or a reference to one: no control characters (see records/value-rules). */
  identifier?: boolean;
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
          { name: 'id', type: 'string', required: false, identifier: true },
          { name: 'contact_id', type: 'string', required: true, identifier: true },
          { name: 'type', type: 'string', required: true, interactionType: true },
          { name: 'occurred_at', type: 'datetime', required: true },
        ]
      : [{ name: 'id', type: 'string', required: true, identifier: true }];
  const references = new Set(referencesOf(recordKind).map((r) => r.column));
  const attributes = registry.attributes(recordKind).map((a): TargetColumn => ({ name: a.name, type: a.type, required: false, ...(references.has(a.name) ? { identifier: true } : {}) }));
  return [...fixed, ...attributes];
}

/**
 * The stager's check of JSON values (API bodies, JSONL lines) for staged `columns`: each is taken
 * as its target's type declares, never coerced (see records/value-rules).
 */
export function jsonValueCheck(targets: readonly TargetColumn[], columns: readonly string[]): (column: number, value: unknown) => string | undefined {
  const byName = new Map(targets.map((t) => [t.name, t]));
  // Unknown keys are refused by the stager itself; they never reach the check.
  const checks = columns.map((name): ((value: unknown) => string | undefined) => {
    const target = byName.get(name);
    const type = target?.type ?? 'string';
    if (!target?.identifier) return (value) => jsonValueProblem(type, value);
    return (value) => jsonValueProblem(type, value) ?? (typeof value === 'string' ? identifierProblem(value) : undefined);
  });
  return (column, value) => checks[column]?.(value);
}

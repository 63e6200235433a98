import { TABLES } from './defaults.js';
import { SchemaRegistry, checkNewAttribute, checkNewInteractionType } from './registry.js';
import { LABEL_OWNERS, defaultLabel, normaliseLabel, type LabelOwner } from './labels.js';
import type { AttributeDef, AttributeType, InteractionTypeDef, RecordKind } from './types.js';
import type { Store } from '../store/store.js';
import { SegmataError } from '../errors.js';

/** Loads and changes the persisted schema registry. */
export async function loadRegistry(store: Store): Promise<SchemaRegistry> {
  const attributes = await store.all<{ entity: string; name: string; type: string; queryable: boolean; builtin: boolean }>(
    'SELECT entity, name, type, queryable, builtin FROM schema_attributes ORDER BY position',
  );
  const types = await store.all<{ name: string; queryable: boolean; builtin: boolean }>(
    'SELECT name, queryable, builtin FROM schema_interaction_types ORDER BY builtin DESC, name',
  );
  const labels = await store.all<{ entity: string; name: string; label: string }>('SELECT entity, name, label FROM schema_labels ORDER BY entity, name');
  return new SchemaRegistry({
    attributes: attributes.map((a) => ({ ...a, entity: a.entity as RecordKind, type: a.type as AttributeType })),
    interactionTypes: types,
    labels: labels.map((l) => ({ ...l, entity: l.entity as LabelOwner })),
  });
}

/** Add a typed attribute (or interaction property) and its column, in one transaction. */
export async function addAttribute(store: Store, reg: SchemaRegistry, def: Omit<AttributeDef, 'builtin'>): Promise<void> {
  checkNewAttribute(reg, def.entity, def.name, def.type);
  const d = store.dialect;
  await store.transaction(async (tx) => {
    const pos = await tx.all<{ p: number | null }>('SELECT max(position) AS p FROM schema_attributes');
    await tx.run('INSERT INTO schema_attributes VALUES ($1, $2, $3, $4, false, $5)', [
      def.entity, def.name, def.type, def.queryable, (pos[0]?.p ?? 0) + 1,
    ]);
    await tx.run(`ALTER TABLE ${d.ident(TABLES[def.entity])} ADD COLUMN ${d.ident(def.name)} ${d.columnType(def.type)}`);
  });
}

export async function addInteractionType(store: Store, reg: SchemaRegistry, def: Omit<InteractionTypeDef, 'builtin'>): Promise<void> {
  checkNewInteractionType(reg, def.name);
  await store.run('INSERT INTO schema_interaction_types VALUES ($1, $2, false)', [def.name, def.queryable]);
}

/** Mark an attribute or interaction type (entity `interaction_type`) queryable or not. */
export async function setQueryable(store: Store, reg: SchemaRegistry, entity: string, name: string, queryable: boolean): Promise<void> {
  if (entity === 'interaction_type') {
    if (!reg.interactionType(name)) throw new SegmataError('not_found', `unknown interaction type "${name}"`);
    await store.run('UPDATE schema_interaction_types SET queryable = $1 WHERE name = $2', [queryable, name]);
    return;
  }
  if (!reg.attribute(entity as RecordKind, name)) throw new SegmataError('not_found', `unknown attribute "${name}" of ${entity}`);
  await store.run('UPDATE schema_attributes SET queryable = $1 WHERE entity = $2 AND name = $3', [queryable, entity, name]);
}

/**
 * Set the display label of an attribute or relation (`entity` contact, account, lead or
 * interaction) or of an interaction type (`entity` interaction_type). An empty label (or null)
 * goes back to the default derived from the name.
 */
export async function setLabel(store: Store, reg: SchemaRegistry, entity: string, name: string, label: string | null): Promise<void> {
  if (!(LABEL_OWNERS as readonly string[]).includes(entity)) {
    throw new SegmataError('invalid_argument', `unknown entity "${entity}" (expected one of: ${LABEL_OWNERS.join(', ')})`, [
      { path: 'entity', message: `expected one of ${LABEL_OWNERS.join(', ')}` },
    ]);
  }
  const owner = entity as LabelOwner;
  if (!reg.hasLabelOwner(owner, name)) {
    const what = owner === 'interaction_type' ? `interaction type "${name}"` : `attribute or relation "${name}" of ${owner}`;
    throw new SegmataError('not_found', `unknown ${what}`, [{ path: 'name', message: `unknown ${what}` }]);
  }
  const given = normaliseLabel(label ?? '');
  if ('reason' in given) throw new SegmataError('invalid_argument', `label of ${owner}.${name}: ${given.reason}`, [{ path: 'label', message: given.reason }]);
  await store.transaction(async (tx) => {
    await tx.run('DELETE FROM schema_labels WHERE entity = $1 AND name = $2', [owner, name]);
    // A label equal to the default is not stored: the name then follows better defaults later.
    if (given.label !== null && given.label !== defaultLabel(owner, name)) await tx.run('INSERT INTO schema_labels (entity, name, label) VALUES ($1, $2, $3)', [owner, name, given.label]);
  });
}

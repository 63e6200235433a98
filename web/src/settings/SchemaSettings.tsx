import { useMemo, useRef } from 'react';
import { useCan, useSchema } from '../api/hooks';
import type { Attribute, SchemaRelation } from '../api/types';
import { defaultLabel, labelFromName, type LabelOwner } from '../../../src/schema/labels.js';
import { DataTable, type Column } from '../ui/DataTable';
import { ErrorState, Loading } from '../ui/states';
import { AddAttributeForm } from './AddAttributeForm';
import { AddInteractionTypeForm } from './AddInteractionTypeForm';
import { FormError } from './form-errors';
import { LabelEditor } from './LabelEditor';
import { useSetQueryable, type LabelChange, type QueryableChange } from './schema-api';

const TITLES = { contact: 'Contact', account: 'Account', lead: 'Lead', interaction: 'Interaction properties' } as const;

interface Row {
  name: string;
  type?: Attribute['type'];
  queryable: boolean;
  builtin: boolean;
  label?: string;
  defaultLabel?: string;
}

/**
 * The schema registry: every entity's attributes, the relations and the interaction types; admins
 * add to it, choose what is queryable and set the labels names read under.
 */
export function SchemaSettings() {
  const schema = useSchema();
  const admin = useCan('admin') === true;
  const setQueryable = useSetQueryable();
  // The tables' columns stay the same objects; their checkboxes call the current mutation.
  const toggle = useRef(setQueryable.mutate);
  toggle.current = setQueryable.mutate;
  if (schema.isPending) return <Loading what="Loading the schema" />;
  if (schema.isError) return <ErrorState error={schema.error} retry={() => void schema.refetch()} />;
  const pending = setQueryable.isPending ? setQueryable.variables : undefined;
  // A refused toggle is explained beside the table it was made in (the page is long).
  const failedIn = setQueryable.isError ? setQueryable.variables?.entity : undefined;
  const toggleError = (entity: QueryableChange['entity']) =>
    failedIn === entity && (
      <div className="state error" role="alert">
        <FormError error={setQueryable.error} />
      </div>
    );
  return (
    <div className="settings-section">
      <p className="muted">
        Queryable attributes and interaction types are offered in the segment designer. Labels are how names read in the designer, the plain-words definition and explain
        (an empty label goes back to the default). Adding to the schema, changing what is queryable and setting labels needs an admin key.
      </p>
      <div className="schema-grid with-labels">
        {schema.data.entities.map((e) => (
          <section key={e.name} aria-labelledby={`schema-${e.name}`}>
            <h2 id={`schema-${e.name}`}>{TITLES[e.name]}</h2>
            {toggleError(e.name)}
            <SchemaTable entity={e.name} rows={e.attributes} pending={pending} onToggle={(c) => toggle.current(c)} withType admin={admin} />
          </section>
        ))}
        <section aria-labelledby="schema-interaction-types">
          <h2 id="schema-interaction-types">Interaction types</h2>
          {toggleError('interaction_type')}
          <SchemaTable entity="interaction_type" rows={schema.data.interactionTypes.map((t) => ({ ...t, queryable: t.queryable ?? true, builtin: t.builtin ?? false }))} pending={pending} onToggle={(c) => toggle.current(c)} admin={admin} />
        </section>
        {schema.data.relations && schema.data.relations.length > 0 && (
          <section aria-labelledby="schema-relations">
            <h2 id="schema-relations">Relations</h2>
            <RelationsTable relations={schema.data.relations} admin={admin} />
          </section>
        )}
      </div>
      <div className="schema-forms">
        <AddAttributeForm />
        <AddInteractionTypeForm />
      </div>
    </div>
  );
}

interface TableProps {
  entity: QueryableChange['entity'];
  rows: Row[];
  withType?: boolean;
  pending: QueryableChange | undefined;
  onToggle: (change: QueryableChange) => void;
  admin: boolean;
}

function SchemaTable({ entity, rows, withType, pending, onToggle, admin }: TableProps) {
  const onToggleRef = useRef(onToggle);
  onToggleRef.current = onToggle;
  const pendingRef = useRef(pending);
  pendingRef.current = pending;
  const label = entity === 'interaction_type' ? 'Interaction types' : `${TITLES[entity]} attributes`;
  const columns = useMemo<Column<Row>[]>(
    () => [
      { id: 'name', header: 'Name', cell: ({ row }) => <code>{row.original.name}</code> },
      ...(withType ? [{ id: 'type', header: 'Type', cell: ({ row }) => row.original.type }] satisfies Column<Row>[] : []),
      {
        id: 'queryable',
        header: 'Queryable',
        cell: ({ row }) => {
          const r = row.original;
          const busy = pendingRef.current?.entity === entity && pendingRef.current.name === r.name;
          return (
            <input
              type="checkbox"
              aria-label={`${r.name} is queryable`}
              checked={busy ? pendingRef.current!.queryable : r.queryable}
              aria-busy={busy}
              onChange={(e) => onToggleRef.current({ entity, name: r.name, queryable: e.target.checked })}
            />
          );
        },
      },
      { id: 'builtin', header: 'Built-in', cell: ({ row }) => (row.original.builtin ? 'Yes' : <span className="badge">custom</span>) },
      {
        id: 'label',
        header: 'Label',
        cell: ({ row }) => {
          const r = row.original;
          const fallback = defaultLabel(entity as LabelOwner, r.name);
          return <LabelEditor entity={entity} name={r.name} label={r.label ?? fallback} defaultLabel={r.defaultLabel ?? fallback} editable={admin} />;
        },
      },
    ],
    [entity, withType, admin],
  );
  return <DataTable label={label} rows={rows} columns={columns} rowId={(r) => r.name} empty="None yet." />;
}

/** Relations are built in; their labels name the hop in a path ("Account › Industry"). */
function RelationsTable({ relations, admin }: { relations: SchemaRelation[]; admin: boolean }) {
  const columns = useMemo<Column<SchemaRelation>[]>(
    () => [
      { id: 'name', header: 'Name', cell: ({ row }) => <code>{`${row.original.from}.${row.original.name}`}</code> },
      { id: 'to', header: 'Links to', cell: ({ row }) => `${row.original.to} (by ${row.original.via})` },
      {
        id: 'label',
        header: 'Label',
        cell: ({ row }) => {
          const r = row.original;
          const fallback = labelFromName(r.name);
          return <LabelEditor entity={r.from as LabelChange['entity']} name={r.name} label={r.label ?? fallback} defaultLabel={r.defaultLabel ?? fallback} editable={admin} what={`${r.from}.${r.name}`} />;
        },
      },
    ],
    [admin],
  );
  return <DataTable label="Relations" rows={relations} columns={columns} rowId={(r) => `${r.from}.${r.name}`} empty="None." />;
}

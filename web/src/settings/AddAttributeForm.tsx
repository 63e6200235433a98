import { useState, type FormEvent } from 'react';
import type { AttributeType } from '../api/types';
import { FieldError, FormError, invalidProps } from './form-errors';
import { SchemaNameInput } from './SchemaNameInput';
import { useAddAttribute, type EntityName } from './schema-api';

const ENTITIES: { value: EntityName; label: string }[] = [
  { value: 'contact', label: 'Contact' },
  { value: 'account', label: 'Account' },
  { value: 'lead', label: 'Lead' },
  { value: 'interaction', label: 'Interaction (a property)' },
];
const TYPES: AttributeType[] = ['string', 'number', 'boolean', 'date', 'datetime'];
const FIELDS = ['entity', 'name'];

export function AddAttributeForm() {
  const [entity, setEntity] = useState<EntityName>('contact');
  const [name, setName] = useState('');
  const [type, setType] = useState<AttributeType>('string');
  const [queryable, setQueryable] = useState(true);
  const [added, setAdded] = useState<string | null>(null);
  const add = useAddAttribute();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    add.mutate(
      { entity, name: name.trim(), type, queryable },
      {
        onSuccess: () => {
          setAdded(`${entity}.${name.trim()}`);
          setName('');
        },
      },
    );
  };
  return (
    <form className="card settings-form" onSubmit={submit} aria-labelledby="add-attribute-title">
      <h2 id="add-attribute-title">Add an attribute</h2>
      <div className="form-row">
        <label>
          Entity
          <select value={entity} onChange={(e) => setEntity(e.target.value as EntityName)} {...invalidProps(add.error, 'entity', 'attr-entity-error')}>
            {ENTITIES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <SchemaNameInput value={name} onChange={setName} placeholder="e.g. loyalty_tier" error={add.error} errorId="attr-name-error" />
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value as AttributeType)}>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={queryable} onChange={(e) => setQueryable(e.target.checked)} /> Queryable
        </label>
        <button type="submit" className="primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add attribute'}
        </button>
      </div>
      <p className="muted hint">Lower-case letters, digits and _. Queryable attributes appear in the designer's condition pickers.</p>
      <FieldError error={add.error} field="entity" id="attr-entity-error" />
      <FieldError error={add.error} field="name" id="attr-name-error" />
      <FormError error={add.error} fields={FIELDS} />
      {added && (
        <p className="notice" role="status">
          Added <code>{added}</code>.
        </p>
      )}
    </form>
  );
}

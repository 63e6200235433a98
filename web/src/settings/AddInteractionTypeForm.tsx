import { useState, type FormEvent } from 'react';
import { FieldError, FormError } from './form-errors';
import { SchemaNameInput } from './SchemaNameInput';
import { useAddInteractionType } from './schema-api';

const FIELDS = ['name'];

export function AddInteractionTypeForm() {
  const [name, setName] = useState('');
  const [queryable, setQueryable] = useState(true);
  const [added, setAdded] = useState<string | null>(null);
  const add = useAddInteractionType();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    const n = name.trim();
    add.mutate({ name: n, queryable }, { onSuccess: () => (setAdded(n), setName('')) });
  };
  return (
    <form className="card settings-form" onSubmit={submit} aria-labelledby="add-type-title">
      <h2 id="add-type-title">Add an interaction type</h2>
      <div className="form-row">
        <SchemaNameInput value={name} onChange={setName} placeholder="e.g. webinar_attended" error={add.error} errorId="type-name-error" />
        <label className="checkbox">
          <input type="checkbox" checked={queryable} onChange={(e) => setQueryable(e.target.checked)} /> Queryable
        </label>
        <button type="submit" className="primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add type'}
        </button>
      </div>
      <FieldError error={add.error} field="name" id="type-name-error" />
      <FormError error={add.error} fields={FIELDS} />
      {added && (
        <p className="notice" role="status">
          Added the interaction type <code>{added}</code>.
        </p>
      )}
    </form>
  );
}

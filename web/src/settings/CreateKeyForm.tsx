import { useState, type FormEvent } from 'react';
import { FieldError, FormError, invalidProps } from './form-errors';
import { useCreateKey, type Role } from './keys-api';
import { SecretOnce } from './SecretOnce';

const FIELDS = ['role', 'name'];

/** A new key: its role and a name to recognise it by; the secret is shown once, right here. */
export function CreateKeyForm() {
  const [role, setRole] = useState<Role>('viewer');
  const [name, setName] = useState('');
  const create = useCreateKey();
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    create.mutate(n ? { role, name: n } : { role }, {
      onSuccess: (k) => {
        setSecret({ name: k.name, key: k.key });
        setName('');
      },
    });
  };
  return (
    <div className="card settings-form">
      <form onSubmit={submit} aria-labelledby="create-key-title">
        <h2 id="create-key-title">Create a key</h2>
        <div className="form-row">
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="viewer">viewer: reads</option>
              <option value="editor">editor: reads and changes segments</option>
              <option value="admin">admin: everything, keys included</option>
            </select>
          </label>
          <label>
            Name
            <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} placeholder="e.g. CRM sync" {...invalidProps(create.error, 'name', 'key-name-error')} />
          </label>
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </div>
        <FieldError error={create.error} field="name" id="key-name-error" />
        <FormError error={create.error} fields={FIELDS} />
      </form>
      {secret && <SecretOnce title={`Secret of the key “${secret.name}”`} secret={secret.key} onDone={() => setSecret(null)} />}
    </div>
  );
}

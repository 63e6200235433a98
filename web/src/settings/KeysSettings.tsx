import { useMemo, useRef } from 'react';
import { storedKey } from '../api/client';
import { DataTable, type Column } from '../ui/DataTable';
import { useConfirm } from '../ui/Dialog';
import { formatInstant } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { CreateKeyForm } from './CreateKeyForm';
import { FormError } from './form-errors';
import { useKeys, useRevokeKey, type ApiKey } from './keys-api';

/** Whether this is the key the UI itself signs in with (revoking it signs the user out). */
const isOwnKey = (k: ApiKey) => !!storedKey()?.startsWith(k.prefix);

/** API keys (admin only): list, create (the secret shown once) and revoke. */
export function KeysSettings() {
  const keys = useKeys();
  const revoke = useRevokeKey();
  const [confirmDialog, confirm] = useConfirm();
  const confirmRevoke = async (k: ApiKey) => {
    const ok = await confirm({
      title: `Revoke the key “${k.name}”?`,
      message: (
        <>
          <p>
            The {k.role} key <code>{k.prefix}…</code> stops working at once and cannot be restored.
          </p>
          {isOwnKey(k) && <p>This is the key you are signed in with: the UI will ask for another one.</p>}
        </>
      ),
      confirmLabel: 'Revoke',
      danger: true,
    });
    if (ok) revoke.mutate(k.id);
  };
  const confirmRef = useRef(confirmRevoke);
  confirmRef.current = confirmRevoke;
  const columns = useMemo<Column<ApiKey>[]>(
    () => [
      { id: 'name', header: 'Name', cell: ({ row }) => <>{row.original.name}{isOwnKey(row.original) && <span className="muted"> (this browser)</span>}</> },
      { id: 'prefix', header: 'Prefix', cell: ({ row }) => <code>{row.original.prefix}…</code> },
      { id: 'role', header: 'Role', cell: ({ row }) => <span className={`badge role-${row.original.role}`}>{row.original.role}</span> },
      { id: 'created', header: 'Created', cell: ({ row }) => formatInstant(row.original.createdAt) },
      {
        id: 'revoked',
        header: 'Revoked',
        cell: ({ row }) => (row.original.revokedAt ? formatInstant(row.original.revokedAt) : <span className="badge status-live">active</span>),
      },
      {
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        cell: ({ row }) =>
          row.original.revokedAt ? null : (
            <div className="row-actions">
              <button type="button" className="danger" onClick={() => void confirmRef.current(row.original)} aria-label={`Revoke ${row.original.name}`}>
                Revoke
              </button>
            </div>
          ),
      },
    ],
    [],
  );
  if (keys.isPending) return <Loading what="Loading API keys" />;
  if (keys.isError) return <ErrorState error={keys.error} retry={() => void keys.refetch()} />;
  return (
    <div className="settings-section">
      <p className="muted">Every call to the API needs a key. Viewers read, editors also change segments, admins also manage the schema, keys and webhooks.</p>
      {revoke.isError && (
        <div className="state error" role="alert">
          <FormError error={revoke.error} />
        </div>
      )}
      {revoke.isSuccess && (
        <p className="notice" role="status">
          Revoked “{revoke.data.name}”.
        </p>
      )}
      <div className="table-scroll">
        <DataTable label="API keys" rows={keys.data.items} columns={columns} rowId={(k) => k.id} empty="No keys." />
      </div>
      <CreateKeyForm />
      {confirmDialog}
    </div>
  );
}

import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Attribute, ContactRecord } from '../api/types';
import { ErrorState, Loading } from '../ui/states';
import { AttributeList } from './AttributeList';

/** The account the contact belongs to (its `account_id`), or a plain "no account". */
export function ContactAccount({ accountId, attributes }: { accountId: string | null; attributes: Attribute[] }) {
  const account = useQuery({
    queryKey: ['account', accountId],
    queryFn: () => api<ContactRecord>(`/accounts/${encodeURIComponent(accountId!)}`),
    enabled: !!accountId,
  });
  return (
    <section className="card" aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      {!accountId ? (
        <p className="muted">This contact has no account.</p>
      ) : account.isPending ? (
        <Loading what="Loading the account" />
      ) : account.isError ? (
        <ErrorState error={account.error} retry={() => void account.refetch()} />
      ) : (
        <AttributeList record={account.data} attributes={attributes} label="Account attributes" />
      )}
    </section>
  );
}

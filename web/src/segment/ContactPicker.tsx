/** Search the contacts and add one to the segment ("Add <id>" per result). */
import { useMemo, useRef, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ContactRecord, Page } from '../api/types';
import { DataTable, type Column } from '../ui/DataTable';
import { ErrorState, Loading } from '../ui/states';
import { contactColumns } from './MemberList';
import { useDebounced } from '../ui/useDebounced';

const RESULTS = 10;

export function ContactPicker({ onAdd, busy }: { onAdd: (contactId: string) => void; busy: boolean }) {
  const [search, setSearch] = useState('');
  const settled = useDebounced(search.trim());
  const contacts = useQuery({
    queryKey: ['contacts', 'picker', settled],
    queryFn: () => api<Page<ContactRecord>>('/contacts', { query: { search: settled, limit: RESULTS } }),
    enabled: settled !== '',
    placeholderData: keepPreviousData,
  });
  const addRef = useRef(onAdd);
  addRef.current = onAdd;
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const columns = useMemo<Column<ContactRecord>[]>(
    () => [
      ...contactColumns(),
      {
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        cell: ({ row }) => (
          <div className="row-actions">
            <button type="button" aria-label={`Add ${row.original.id}`} onClick={() => !busyRef.current && addRef.current(row.original.id)}>
              Add
            </button>
          </div>
        ),
      },
    ],
    [],
  );
  return (
    <div className="contact-picker">
      <div className="toolbar" role="search">
        <label>
          <span className="visually-hidden">Search contacts</span>
          <input type="search" placeholder="Id, name or email…" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        {contacts.isFetching && !contacts.isPending && <span className="muted">Searching…</span>}
      </div>
      {settled === '' ? (
        <p className="muted">Type an id, a name or an email to find contacts to add.</p>
      ) : contacts.isPending ? (
        <Loading what="Searching contacts" />
      ) : contacts.isError ? (
        <ErrorState error={contacts.error} retry={() => void contacts.refetch()} />
      ) : (
        <div className="table-scroll">
          <DataTable label="Matching contacts" rows={contacts.data.items} columns={columns} rowId={(c) => c.id} empty="No contact matches this search." />
          {contacts.data.next && <p className="muted">Showing the first {RESULTS}; refine the search to narrow it down.</p>}
        </div>
      )}
    </div>
  );
}

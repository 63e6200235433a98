/**
 * Search the contacts and add them to a static segment: one with its "Add" button, or several
 * ticked (across searches) and added together. A contact already in the segment says so.
 */
import { useMemo, useRef, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { RowSelectionState } from '@tanstack/react-table';
import { api } from '../api/client';
import { useSchemaLabels } from '../api/labels';
import type { ContactRecord, Page } from '../api/types';
import { DataTable, type Column } from '../ui/DataTable';
import { plural } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { useDebounced } from '../ui/useDebounced';
import { contactColumns, contactName } from './MemberList';
import { segmentApiPath, segmentKey } from './queries';

const RESULTS = 10;

interface Props {
  segmentId: string;
  onAdd: (contactIds: string[]) => void;
  busy: boolean;
}

export function ContactPicker({ segmentId, onAdd, busy }: Props) {
  const [search, setSearch] = useState('');
  const settled = useDebounced(search.trim());
  // Ticked contacts, kept while the search changes, with their names for the bar below.
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const contacts = useQuery({
    queryKey: ['contacts', 'picker', settled],
    queryFn: () => api<Page<ContactRecord>>('/contacts', { query: { search: settled, limit: RESULTS } }),
    enabled: settled !== '',
    placeholderData: keepPreviousData,
  });
  // The members among the results: the same search over the members finds them, in the same id
  // order, among its first RESULTS (every member shown is a contact shown, of no larger id).
  const members = useQuery({
    queryKey: [...segmentKey(segmentId), 'members', 'picker', settled],
    queryFn: () => api<Page<ContactRecord>>(segmentApiPath(segmentId, '/members'), { query: { search: settled, limit: RESULTS } }),
    enabled: settled !== '',
  });
  const memberIds = useMemo(() => new Set((members.data?.items ?? []).map((c) => c.id)), [members.data]);
  const memberRef = useRef(memberIds);
  memberRef.current = memberIds;
  const addRef = useRef(onAdd);
  addRef.current = onAdd;
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const rows = contacts.data?.items ?? [];
  const selection: RowSelectionState = Object.fromEntries([...picked.keys()].map((id) => [id, true]));
  const onSelectionChange = (next: RowSelectionState) => {
    const shown = new Map(rows.map((c) => [c.id, c]));
    setPicked((prev) => {
      const out = new Map([...prev].filter(([id]) => !shown.has(id) || next[id]));
      for (const [id, on] of Object.entries(next)) if (on && shown.has(id)) out.set(id, label(shown.get(id)!));
      return out;
    });
  };
  const labels = useSchemaLabels();
  const columns = useMemo<Column<ContactRecord>[]>(
    () => [
      ...contactColumns(labels),
      {
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        cell: ({ row }) =>
          memberRef.current.has(row.original.id) ? (
            <span className="badge status-live">Member</span>
          ) : (
            <div className="row-actions">
              <button type="button" aria-label={`Add ${row.original.id}`} onClick={() => !busyRef.current && addRef.current([row.original.id])}>
                Add
              </button>
            </div>
          ),
      },
    ],
    [labels],
  );
  const addPicked = () => {
    onAdd([...picked.keys()]);
    setPicked(new Map());
  };
  return (
    <div className="contact-picker">
      <div className="toolbar" role="search">
        <label>
          <span className="visually-hidden">Search contacts</span>
          <input type="search" placeholder="Id, name, email, city…" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        {contacts.isFetching && !contacts.isPending && <span className="muted">Searching…</span>}
      </div>
      {picked.size > 0 && (
        <div className="bulk-bar" role="region" aria-label="Picked contacts">
          <span>{plural(picked.size, 'contact')} picked</span>
          <button type="button" className="primary" onClick={addPicked} disabled={busy}>
            Add {plural(picked.size, 'contact')}
          </button>
          <button type="button" onClick={() => setPicked(new Map())}>
            Clear
          </button>
        </div>
      )}
      {settled === '' ? (
        <p className="muted">Type an id, a name, an email or a city to find contacts to add; tick several to add them together.</p>
      ) : contacts.isPending ? (
        <Loading what="Searching contacts" />
      ) : contacts.isError ? (
        <ErrorState error={contacts.error} retry={() => void contacts.refetch()} />
      ) : (
        <div className="table-scroll">
          <DataTable
            label="Matching contacts"
            rows={rows}
            columns={columns}
            rowId={(c) => c.id}
            selectable
            selection={selection}
            onSelectionChange={onSelectionChange}
            canSelect={(c) => !memberIds.has(c.id)}
            rowLabel={label}
            empty="No contact matches this search."
          />
          {contacts.data.next && <p className="muted">Showing the first {RESULTS}; refine the search to narrow it down.</p>}
        </div>
      )}
    </div>
  );
}

/** "Ada Lovelace (c000001)", or the id alone. */
function label(c: ContactRecord): string {
  const name = contactName(c);
  return name === '—' ? c.id : `${name} (${c.id})`;
}

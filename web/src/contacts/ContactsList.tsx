import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { useSchemaLabels } from '../api/labels';
import type { ContactRecord, Page } from '../api/types';
import { DataTable, type Column } from '../ui/DataTable';
import { formatCount, plural } from '../ui/format';
import { Pager, useCursorPager, useKeptTotal } from '../ui/Pager';
import { ErrorState, Loading } from '../ui/states';
import { contactName, formatValue } from './format-value';
import { useDebounced } from '../ui/useDebounced';

const PAGE_SIZE = 25;
const contactPath = (id: string) => `/contacts/${encodeURIComponent(id)}`;

/** Contacts, searched by id or any text attribute (name, email, city…), a page at a time. The search is kept in the address (`?q=`) so Back returns to it. */
export function ContactsList() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const settled = useDebounced(search.trim());
  const pager = useCursorPager();
  const [lastSearch, setLastSearch] = useState(settled);
  // A new search starts again from its first page.
  if (lastSearch !== settled) {
    setLastSearch(settled);
    pager.reset();
  }
  const query = { search: settled, limit: PAGE_SIZE, cursor: pager.cursor };
  const list = useQuery({
    queryKey: ['contacts', query],
    queryFn: () => api<Page<ContactRecord>>('/contacts', { query }),
    placeholderData: keepPreviousData,
  });
  const total = useKeptTotal(list.data?.total, settled);
  // Attribute columns are headed by their labels in the schema (Settings can rename them); "Name" joins two attributes.
  const labels = useSchemaLabels();
  const columns = useMemo<Column<ContactRecord>[]>(
    () => [
      // One link per row (the name): the id beside it would only be a second tab stop to the same page.
      { id: 'id', header: labels.of('contact', 'id'), cell: ({ row }) => <span className="muted">{row.original.id}</span> },
      { id: 'name', header: 'Name', cell: ({ row }) => <Link to={contactPath(row.original.id)}>{contactName(row.original)}</Link> },
      { id: 'email', header: labels.of('contact', 'email'), cell: ({ row }) => formatValue(row.original.email) },
      { id: 'city', header: labels.of('contact', 'city'), cell: ({ row }) => formatValue(row.original.city) },
      { id: 'state', header: labels.of('contact', 'state'), cell: ({ row }) => formatValue(row.original.state) },
      { id: 'score', header: labels.of('contact', 'score'), cell: ({ row }) => <span className="num">{formatValue(row.original.score, 'number')}</span> },
    ],
    [labels],
  );
  const onSearch = (value: string) => {
    setSearch(value);
    setParams(value.trim() ? { q: value } : {}, { replace: true });
  };
  return (
    <section aria-labelledby="contacts-title">
      <div className="page-head">
        <h1 id="contacts-title">Contacts</h1>
      </div>
      <div className="toolbar" role="search">
        <label>
          <span className="visually-hidden">Search contacts</span>
          <input type="search" placeholder="Search by name, email, city…" value={search} onChange={(e) => onSearch(e.target.value)} />
        </label>
        {total !== undefined && (
          <span className="muted" data-testid="contact-total">
            {settled ? `${formatCount(total)} matching` : plural(total, 'contact')}
          </span>
        )}
        {list.isFetching && !list.isPending && <span className="muted" role="status">Searching…</span>}
      </div>
      {list.isPending ? (
        <Loading what="Loading contacts" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : (
        <>
          <div className="table-scroll">
            <DataTable
              label="Contacts"
              rows={list.data.items}
              columns={columns}
              rowId={(c) => c.id}
              empty={settled ? <>No contact matches “{settled}”.</> : <>No contacts yet. Import some with <code>segmata import contacts</code> or <code>POST /api/v1/contacts</code>.</>}
            />
          </div>
          <Pager
            page={pager.page}
            hasNext={!!list.data.next}
            onPrevious={pager.previous}
            onNext={() => list.data.next && pager.next(list.data.next)}
            shown={{ count: list.data.items.length, pageSize: PAGE_SIZE, total }}
          />
        </>
      )}
    </section>
  );
}

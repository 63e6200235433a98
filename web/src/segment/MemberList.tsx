/**
 * A segment's members, a page at a time: search, cursor paging, CSV export. Static segments
 * pass `onRemove` to get a "Remove" button per member.
 */
import { useMemo, useRef, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, download } from '../api/client';
import { useSchemaLabels } from '../api/labels';
import type { Labels } from '../../../src/schema/labels.js';
import type { ContactRecord, Page, Segment } from '../api/types';
import { DataTable, type Column } from '../ui/DataTable';
import { formatCount, plural } from '../ui/format';
import { Pager, useCursorPager, useKeptTotal } from '../ui/Pager';
import { ErrorState, Loading } from '../ui/states';
import { contactPage, segmentApiPath, segmentKey } from './queries';
import { useDebounced } from '../ui/useDebounced';

const PAGE_SIZE = 25;

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const contactName = (c: ContactRecord): string => [text(c.first_name), text(c.last_name)].filter(Boolean).join(' ') || '—';

/**
 * Columns of a contact record (the shared part of the members and contact-search tables), each
 * attribute headed by its label in the schema (Settings can rename them). "Name" joins two
 * attributes, so it is no attribute's label.
 */
export function contactColumns(labels: Labels): Column<ContactRecord>[] {
  return [
    { id: 'id', header: labels.of('contact', 'id'), cell: ({ row }) => <Link to={contactPage(row.original.id)}>{row.original.id}</Link> },
    { id: 'name', header: 'Name', cell: ({ row }) => contactName(row.original) },
    { id: 'email', header: labels.of('contact', 'email'), cell: ({ row }) => text(row.original.email) || '—' },
    { id: 'state', header: labels.of('contact', 'state'), cell: ({ row }) => text(row.original.state) || '—' },
    { id: 'city', header: labels.of('contact', 'city'), cell: ({ row }) => text(row.original.city) || '—' },
  ];
}

interface Props {
  segment: Segment;
  /** Static segments: take a member out. */
  onRemove?: (contactId: string) => void;
  removing?: boolean;
}

export function MemberList({ segment: s, onRemove, removing }: Props) {
  const [search, setSearch] = useState('');
  const settledSearch = useDebounced(search.trim());
  const pager = useCursorPager();
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const query = { limit: PAGE_SIZE, cursor: pager.cursor, search: settledSearch };
  const members = useQuery({
    queryKey: [...segmentKey(s.id), 'members', query],
    queryFn: () => api<Page<ContactRecord>>(segmentApiPath(s.id, '/members'), { query }),
    placeholderData: keepPreviousData,
  });
  // The columns stay the same objects across renders; the button calls the current handler.
  const removeRef = useRef(onRemove);
  removeRef.current = onRemove;
  const withRemove = !!onRemove;
  const labels = useSchemaLabels();
  const columns = useMemo<Column<ContactRecord>[]>(() => {
    const base = contactColumns(labels);
    if (!withRemove) return base;
    return [
      ...base,
      {
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        cell: ({ row }) => (
          <div className="row-actions">
            <button type="button" className="danger" aria-label={`Remove ${row.original.id}`} onClick={() => removeRef.current?.(row.original.id)}>
              Remove
            </button>
          </div>
        ),
      },
    ];
  }, [withRemove, labels]);
  const exportCsv = async () => {
    setExportError(null);
    setExporting(true);
    try {
      await download(segmentApiPath(s.id, '/members.csv'), `${s.id}-members.csv`);
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(false);
    }
  };
  const rows = members.data?.items ?? [];
  const total = useKeptTotal(members.data?.total, settledSearch);
  return (
    <div className="member-list">
      {s.status === 'draft' && s.type !== 'static' && (
        <p className="segment-info">
          This segment is a draft: its members are not stored. Each page below is evaluated from the definition as you open it; take the segment live to keep
          its membership.
        </p>
      )}
      {s.status === 'stopped' && s.type !== 'static' && <p className="segment-info">This segment is stopped: these are its members when it stopped; they are no longer kept current.</p>}
      <div className="toolbar" role="search">
        <label>
          <span className="visually-hidden">Search members</span>
          <input
            type="search"
            placeholder="Id, name, email, city…"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              pager.reset();
            }}
          />
        </label>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
        {total !== undefined && (
          <span className="muted" data-testid="member-total">
            {settledSearch ? `${formatCount(total)} matching` : plural(total, 'member')}
          </span>
        )}
        {members.isFetching && !members.isPending && <span className="muted">Updating…</span>}
      </div>
      {exportError !== null && <ErrorState error={exportError} />}
      {removing && (
        <p className="muted" role="status">
          Removing…
        </p>
      )}
      {members.isPending ? (
        <Loading what="Loading members" />
      ) : members.isError ? (
        <ErrorState error={members.error} retry={() => void members.refetch()} />
      ) : (
        <>
          <div className="table-scroll">
            <DataTable
              label="Members"
              rows={rows}
              columns={columns}
              rowId={(c) => c.id}
              empty={settledSearch ? 'No member matches this search.' : s.type === 'static' ? 'No members yet. Add some with the search above or a CSV import.' : 'This segment has no members.'}
            />
          </div>
          <Pager
            page={pager.page}
            hasNext={!!members.data?.next}
            onPrevious={pager.previous}
            onNext={() => members.data?.next && pager.next(members.data.next)}
            shown={{ count: rows.length, pageSize: PAGE_SIZE, total }}
          />
        </>
      )}
    </div>
  );
}

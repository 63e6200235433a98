import { useMemo, useRef, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RowSelectionState } from '@tanstack/react-table';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useCan } from '../api/hooks';
import type { EvaluationResult, Page, Segment, SegmentStatus, SegmentType } from '../api/types';
import { DataTable, type Column } from '../ui/DataTable';
import { formatCount, formatInstant } from '../ui/format';
import { Pager, useCursorPager } from '../ui/Pager';
import { ErrorState, Loading } from '../ui/states';
import { StatusBadge, TypeBadge } from '../ui/StatusBadge';

const PAGE_SIZE = 25;
const STATUSES: readonly SegmentStatus[] = ['draft', 'live', 'stopped', 'error'];
const TYPES: readonly SegmentType[] = ['dynamic', 'static', 'compound'];
type Action = 'go-live' | 'stop' | 'delete';

/** Activate, deactivate or delete one segment through the API. */
function runAction(action: Action, s: Segment): Promise<unknown> {
  if (action === 'delete') return api(`/segments/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
  return api<EvaluationResult>(`/segments/${encodeURIComponent(s.id)}/${action}`, { method: 'POST' });
}

const canGoLive = (s: Segment): boolean => s.type !== 'static' && s.status !== 'live';
// Static segments are kept, not evaluated: they are not stopped here (nor taken live), as on the segment page.
const canStop = (s: Segment): boolean => s.status === 'live' && s.type !== 'static';

export function SegmentsList() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<SegmentStatus | ''>('');
  const [type, setType] = useState<SegmentType | ''>('');
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [message, setMessage] = useState<string | null>(null);
  const pager = useCursorPager();
  const queryClient = useQueryClient();
  const query = { search, status, type, limit: PAGE_SIZE, cursor: pager.cursor };
  const list = useQuery({
    queryKey: ['segments', query],
    queryFn: () => api<Page<Segment>>('/segments', { query }),
    placeholderData: keepPreviousData,
  });
  const act = useMutation({
    mutationFn: async ({ action, segments }: { action: Action; segments: Segment[] }) => {
      const results = await Promise.allSettled(segments.map((s) => runAction(action, s)));
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${segments[i]!.name}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`] : []));
      return { action, done: segments.length - failed.length, failed };
    },
    onSuccess: ({ action, done, failed }) => {
      const verb = action === 'go-live' ? 'activated' : action === 'stop' ? 'deactivated' : 'deleted';
      setMessage(`${done} segment${done === 1 ? '' : 's'} ${verb}.${failed.length ? ` Failed: ${failed.join('; ')}` : ''}`);
      setSelection({});
      void queryClient.invalidateQueries({ queryKey: ['segments'] });
    },
  });
  const rows = list.data?.items ?? [];
  const selected = rows.filter((s) => selection[s.id]);
  const perform = (action: Action, segments: Segment[]) => {
    if (action === 'delete' && !window.confirm(`Delete ${segments.length === 1 ? `"${segments[0]!.name}"` : `${segments.length} segments`}? This cannot be undone.`)) return;
    act.mutate({ action, segments });
  };
  // The columns stay the same objects across renders (as the table wants); their buttons call the current `perform`.
  const performRef = useRef(perform);
  performRef.current = perform;
  // A viewer's key may read but not change: no actions offered (the API would refuse them anyway).
  const canChange = useCan('editor') !== false;
  const columns = useMemo<Column<Segment>[]>(() => {
    const base: Column<Segment>[] = [
      { id: 'name', header: 'Name', cell: ({ row }) => <Link to={`/segments/${encodeURIComponent(row.original.id)}`}>{row.original.name}</Link> },
      { id: 'type', header: 'Type', cell: ({ row }) => <TypeBadge type={row.original.type} /> },
      { id: 'status', header: 'Status', cell: ({ row }) => <StatusBadge status={row.original.status} /> },
      { id: 'members', header: 'Members', cell: ({ row }) => <span className="num">{formatCount(row.original.memberCount)}</span> },
      { id: 'updated', header: 'Last modified', cell: ({ row }) => formatInstant(row.original.updatedAt) },
    ];
    if (!canChange) return base;
    const actions: Column<Segment> = {
      id: 'actions',
      header: () => <span className="visually-hidden">Actions</span>,
      cell: ({ row }) => {
        const s = row.original;
        return (
          <div className="row-actions">
            {canGoLive(s) && (
              <button type="button" onClick={() => performRef.current('go-live', [s])} aria-label={`Activate ${s.name}`}>
                Activate
              </button>
            )}
            {canStop(s) && (
              <button type="button" onClick={() => performRef.current('stop', [s])} aria-label={`Deactivate ${s.name}`}>
                Deactivate
              </button>
            )}
            {s.type !== 'static' && (
              <Link className="button" to={`/segments/${encodeURIComponent(s.id)}/design`} aria-label={`Edit ${s.name}`}>
                Edit
              </Link>
            )}
            <button type="button" className="danger" onClick={() => performRef.current('delete', [s])} aria-label={`Delete ${s.name}`}>
              Delete
            </button>
          </div>
        );
      },
    };
    return [...base, actions];
  }, [canChange]);
  const filtersChanged = () => {
    pager.reset();
    setSelection({});
  };
  return (
    <section aria-labelledby="segments-title">
      <div className="page-head">
        <h1 id="segments-title">Segments</h1>
        {canChange && (
          <Link className="button primary" to="/segments/new">
            + New segment
          </Link>
        )}
      </div>
      <div className="toolbar" role="search">
        <label>
          <span className="visually-hidden">Search segments</span>
          <input type="search" placeholder="Search by name…" value={search} onChange={(e) => (setSearch(e.target.value), filtersChanged())} />
        </label>
        <FilterSelect label="Status" value={status} options={STATUSES} onChange={(v) => (setStatus(v), filtersChanged())} />
        <FilterSelect label="Type" value={type} options={TYPES} onChange={(v) => (setType(v), filtersChanged())} />
        {list.data?.total !== undefined && <span className="muted">{formatCount(list.data.total)} segments</span>}
      </div>
      {selected.length > 0 && (
        <div className="bulk-bar" role="region" aria-label="Bulk actions">
          <span>{selected.length} selected</span>
          <button type="button" onClick={() => performRef.current('go-live', selected.filter(canGoLive))} disabled={!selected.some(canGoLive)}>
            Activate
          </button>
          <button type="button" onClick={() => performRef.current('stop', selected.filter(canStop))} disabled={!selected.some(canStop)}>
            Deactivate
          </button>
          <button type="button" className="danger" onClick={() => performRef.current('delete', selected)}>
            Delete
          </button>
        </div>
      )}
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {act.isPending && <Loading what="Working" />}
      {list.isPending ? (
        <Loading what="Loading segments" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : (
        <>
          <DataTable
            label="Segments"
            rows={rows}
            columns={columns}
            rowId={(s) => s.id}
            selectable={canChange}
            selection={selection}
            onSelectionChange={setSelection}
            empty={search || status || type ? 'No segment matches these filters.' : <>No segments yet. <Link to="/segments/new">Create the first one</Link>.</>}
          />
          <Pager page={pager.page} hasNext={!!list.data?.next} onPrevious={pager.previous} onNext={() => list.data?.next && pager.next(list.data.next)} />
        </>
      )}
    </section>
  );
}

/** A filter of the list: one of `options`, or any ('' ). */
function FilterSelect<T extends string>({ label, value, options, onChange }: { label: string; value: T | ''; options: readonly T[]; onChange: (v: T | '') => void }) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value as T | '')}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o[0]!.toUpperCase() + o.slice(1)}
          </option>
        ))}
      </select>
    </label>
  );
}

import { useMemo, useRef, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RowSelectionState } from '@tanstack/react-table';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useCan } from '../api/hooks';
import type { Page, Segment, SegmentStatus, SegmentType } from '../api/types';
import { canGoLive, canStop, DONE_VERB, FAILED_VERB, reasonWithNames, renamedInPlace, runLifecycle, type LifecycleAction } from '../segment/lifecycle';
import { RenameDialog } from '../segment/RenameDialog';
import { DataTable, type Column } from '../ui/DataTable';
import { useConfirm } from '../ui/Dialog';
import { formatCount, formatInstant, plural } from '../ui/format';
import { OutcomeBanner, type Outcome } from '../ui/Outcome';
import { Pager, useCursorPager } from '../ui/Pager';
import { ErrorState, Loading } from '../ui/states';
import { StatusBadge, TypeBadge } from '../ui/StatusBadge';

const PAGE_SIZE = 25;
const STATUSES: readonly SegmentStatus[] = ['draft', 'live', 'stopped', 'error'];
const TYPES: readonly SegmentType[] = ['dynamic', 'static', 'compound'];
type Action = Exclude<LifecycleAction, 'refresh'>;

/** "2 segments activated." — or, when any was refused, what failed and why, by name. */
async function outcomeOf(action: Action, segments: Segment[], results: PromiseSettledResult<unknown>[]): Promise<Outcome> {
  const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [{ name: segments[i]!.name, error: r.reason as unknown }] : []));
  const failures = await Promise.all(refused.map(async (f) => ({ name: f.name, reason: await reasonWithNames(f.error) })));
  const done = segments.length - failures.length;
  if (failures.length === 0) return { message: `${plural(done, 'segment')} ${DONE_VERB[action]}.`, failures };
  const which = segments.length === 1 ? 'the segment' : failures.length === segments.length ? `any of ${plural(segments.length, 'segment')}` : plural(failures.length, 'segment');
  return { message: `Could not ${FAILED_VERB[action]} ${which}${done > 0 ? ` (${plural(done, 'other')} ${DONE_VERB[action]})` : ''}:`, failures };
}

export function SegmentsList() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<SegmentStatus | ''>('');
  const [type, setType] = useState<SegmentType | ''>('');
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [renaming, setRenaming] = useState<Segment | null>(null);
  const [confirmDialog, confirm] = useConfirm();
  const pager = useCursorPager();
  const queryClient = useQueryClient();
  const query = { search, status, type, limit: PAGE_SIZE, cursor: pager.cursor };
  const list = useQuery({
    queryKey: ['segments', query],
    queryFn: () => api<Page<Segment>>('/segments', { query }),
    placeholderData: keepPreviousData,
  });
  const act = useMutation({
    mutationFn: async ({ action, segments }: { action: Action; segments: Segment[] }) =>
      outcomeOf(action, segments, await Promise.allSettled(segments.map((s) => runLifecycle(action, s)))),
    onMutate: () => setOutcome(null),
    onSuccess: (result) => {
      setOutcome(result);
      setSelection({});
      void queryClient.invalidateQueries({ queryKey: ['segments'] });
    },
  });
  const rows = list.data?.items ?? [];
  const selected = rows.filter((s) => selection[s.id]);
  const perform = async (action: Action, segments: Segment[]) => {
    if (segments.length === 0) return;
    if (action === 'delete') {
      const what = segments.length === 1 ? `“${segments[0]!.name}”` : plural(segments.length, 'segment');
      const message = segments.length === 1 ? 'Its members and history are deleted with it. This cannot be undone.' : 'Their members and history are deleted with them. This cannot be undone.';
      const ok = await confirm({ title: `Delete ${what}?`, message, confirmLabel: 'Delete', danger: true });
      if (!ok) return;
    }
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
              <button type="button" onClick={() => void performRef.current('go-live', [s])} aria-label={`Activate ${s.name}`}>
                Activate
              </button>
            )}
            {canStop(s) && (
              <button type="button" onClick={() => void performRef.current('stop', [s])} aria-label={`Deactivate ${s.name}`}>
                Deactivate
              </button>
            )}
            {renamedInPlace(s) ? (
              <button type="button" onClick={() => setRenaming(s)} aria-label={`Rename ${s.name}`}>
                Rename
              </button>
            ) : (
              <Link className="button" to={`/segments/${encodeURIComponent(s.id)}/design`} aria-label={`Edit ${s.name}`}>
                Edit
              </Link>
            )}
            <button type="button" className="danger" onClick={() => void performRef.current('delete', [s])} aria-label={`Delete ${s.name}`}>
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
        {list.data?.total !== undefined && <span className="muted">{plural(list.data.total, 'segment')}</span>}
      </div>
      {selected.length > 0 && (
        <div className="bulk-bar" role="region" aria-label="Bulk actions">
          <span>{plural(selected.length, 'segment')} selected</span>
          <button type="button" onClick={() => void perform('go-live', selected.filter(canGoLive))} disabled={!selected.some(canGoLive)}>
            Activate
          </button>
          <button type="button" onClick={() => void perform('stop', selected.filter(canStop))} disabled={!selected.some(canStop)}>
            Deactivate
          </button>
          <button type="button" className="danger" onClick={() => void perform('delete', selected)}>
            Delete
          </button>
        </div>
      )}
      <OutcomeBanner outcome={outcome} />
      {renaming && <RenameDialog segment={renaming} open onClose={() => setRenaming(null)} onRenamed={(r) => setOutcome({ message: `Renamed to “${r.name}”.`, failures: [] })} />}
      {confirmDialog}
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
            rowLabel={(s) => s.name}
            selection={selection}
            onSelectionChange={setSelection}
            empty={search || status || type ? 'No segment matches these filters.' : <>No segments yet. <Link to="/segments/new">Create the first one</Link>.</>}
          />
          <Pager
            page={pager.page}
            hasNext={!!list.data?.next}
            onPrevious={pager.previous}
            onNext={() => list.data?.next && pager.next(list.data.next)}
            shown={{ count: rows.length, pageSize: PAGE_SIZE, total: list.data?.total }}
          />
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

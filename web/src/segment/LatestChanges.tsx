/** The latest entries and exits, newest first, each with its cause. */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Page, Segment } from '../api/types';
import { DataTable, type Column } from '../ui/DataTable';
import { formatInstant, plural } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { contactPage, segmentApiPath, segmentKey } from './queries';

interface Change {
  seq: number;
  contactId: string;
  change: 'entered' | 'exited';
  at: string;
  cause: string;
}

const SHOWN = 50;

/** The latest SHOWN changes, newest first: one page of the log read backwards. */
async function latestChanges(id: string): Promise<Change[]> {
  return (await api<Page<Change>>(segmentApiPath(id, '/changes'), { query: { order: 'desc', limit: SHOWN } })).items;
}

const CAUSES: Record<string, string> = {
  go_live: 'went live',
  definition_edit: 'definition edited',
  refresh: 'refreshed',
  manual: 'picked by hand',
  data_change: 'contact data changed',
  time: 'time passed (a window moved)',
};
const describeCause = (cause: string): string => CAUSES[cause] ?? cause.replaceAll('_', ' ');

export function LatestChanges({ segment: s }: { segment: Segment }) {
  const changes = useQuery({ queryKey: [...segmentKey(s.id), 'changes', 'latest'], queryFn: () => latestChanges(s.id) });
  const columns = useMemo<Column<Change>[]>(
    () => [
      { id: 'contact', header: 'Contact', cell: ({ row }) => <Link to={contactPage(row.original.contactId)}>{row.original.contactId}</Link> },
      {
        id: 'change',
        header: 'Change',
        cell: ({ row }) => <span className={`badge change-${row.original.change}`}>{row.original.change === 'entered' ? '→ entered' : '← exited'}</span>,
      },
      { id: 'at', header: 'When', cell: ({ row }) => <time dateTime={row.original.at}>{formatInstant(row.original.at)}</time> },
      { id: 'cause', header: 'Cause', cell: ({ row }) => <span title={row.original.cause}>{describeCause(row.original.cause)}</span> },
    ],
    [],
  );
  return (
    <section aria-labelledby="latest-changes-title">
      <h2 id="latest-changes-title">Latest entries and exits</h2>
      {changes.isPending ? (
        <Loading what="Loading the changes" />
      ) : changes.isError ? (
        <ErrorState error={changes.error} retry={() => void changes.refetch()} />
      ) : (
        <>
          {changes.data.length > 0 && (
            <p className="muted">
              {/* A page short of SHOWN is the whole log: say how many it holds, in agreement with the count. */}
              {changes.data.length < SHOWN ? `All ${plural(changes.data.length, 'membership change')}` : `The last ${plural(SHOWN, 'membership change')}`}, newest first.
            </p>
          )}
          <div className="table-scroll">
            <DataTable label="Latest entries and exits" rows={changes.data} columns={columns} rowId={(c) => String(c.seq)} empty="No entry or exit recorded yet." />
          </div>
        </>
      )}
    </section>
  );
}

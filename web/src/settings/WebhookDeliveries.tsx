import { useMemo } from 'react';
import { DataTable, type Column } from '../ui/DataTable';
import { formatCount, formatInstant } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { useDeliveries, type Delivery } from './webhooks-api';

/** A webhook's delivery log, newest first: each attempt, the changes it carried and the receiver's answer. */
export function WebhookDeliveries({ webhookId, title }: { webhookId: string; title: string }) {
  const log = useDeliveries(webhookId);
  const columns = useMemo<Column<Delivery>[]>(
    () => [
      { id: 'at', header: 'Attempted', cell: ({ row }) => formatInstant(row.original.attemptedAt) },
      {
        id: 'changes',
        header: 'Changes',
        cell: ({ row }) => (
          <span className="num" title={`seq ${row.original.firstSeq}–${row.original.lastSeq}`}>
            {formatCount(row.original.changes)} <span className="muted">(#{row.original.firstSeq}–{row.original.lastSeq})</span>
          </span>
        ),
      },
      { id: 'attempt', header: 'Attempt', cell: ({ row }) => <span className="num">{row.original.attempt}</span> },
      { id: 'status', header: 'Answer', cell: ({ row }) => (row.original.statusCode === null ? <span className="muted">none</span> : <span className="num">{row.original.statusCode}</span>) },
      { id: 'ms', header: 'Time', cell: ({ row }) => <span className="num">{formatCount(Math.round(row.original.durationMs))} ms</span> },
      {
        id: 'result',
        header: 'Result',
        cell: ({ row }) => (row.original.delivered ? <span className="badge status-live">delivered</span> : <span className="badge status-error">failed</span>),
      },
      { id: 'error', header: 'Error', cell: ({ row }) => row.original.error ?? '' },
    ],
    [],
  );
  return (
    <section className="card deliveries" aria-labelledby="deliveries-title">
      <div className="page-head">
        <h2 id="deliveries-title">Deliveries: {title}</h2>
        <button type="button" onClick={() => void log.refetch()} disabled={log.isFetching}>
          {log.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {log.isPending ? (
        <Loading what="Loading deliveries" />
      ) : log.isError ? (
        <ErrorState error={log.error} retry={() => void log.refetch()} />
      ) : (
        <div className="table-scroll">
          <DataTable label="Delivery attempts" rows={log.data.items} columns={columns} rowId={(d) => `${d.attemptedAt}-${d.firstSeq}-${d.attempt}`} empty="No delivery attempts yet: nothing has changed in the segment since the webhook was added." />
        </div>
      )}
    </section>
  );
}

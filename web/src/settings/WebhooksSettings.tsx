import { useMemo, useRef } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { DataTable, type Column } from '../ui/DataTable';
import { useConfirm } from '../ui/Dialog';
import { formatInstant, plural } from '../ui/format';
import { Empty, ErrorState, Loading } from '../ui/states';
import { CreateWebhookForm } from './CreateWebhookForm';
import { FormError } from './form-errors';
import { WebhookDeliveries } from './WebhookDeliveries';
import { useDeleteWebhook, useSegmentChoices, useWebhooks, type Webhook } from './webhooks-api';

/** Webhooks (admin only): list, add (the secret shown once), delete, and each one's delivery log at /settings/webhooks/:id. */
export function WebhooksSettings() {
  const { webhookId } = useParams();
  const navigate = useNavigate();
  const webhooks = useWebhooks();
  const segments = useSegmentChoices();
  const remove = useDeleteWebhook();
  const segmentNames = useMemo(() => new Map((segments.data?.items ?? []).map((s) => [s.id, s.name])), [segments.data]);
  const namesRef = useRef(segmentNames);
  namesRef.current = segmentNames;
  const [confirmDialog, confirm] = useConfirm();
  const confirmDelete = async (w: Webhook) => {
    const ok = await confirm({
      title: 'Delete this webhook?',
      message: (
        <p>
          Changes of “{namesRef.current.get(w.segmentId) ?? w.segmentId}” stop being sent to <code className="url">{w.url}</code>. Its delivery log goes with it.
        </p>
      ),
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!ok) return;
    remove.mutate(w.id, { onSuccess: () => webhookId === w.id && navigate('/settings/webhooks', { replace: true }) });
  };
  const confirmRef = useRef(confirmDelete);
  confirmRef.current = confirmDelete;
  const columns = useMemo<Column<Webhook>[]>(
    () => [
      {
        id: 'segment',
        header: 'Segment',
        cell: ({ row }) => <Link to={`/segments/${encodeURIComponent(row.original.segmentId)}`}>{namesRef.current.get(row.original.segmentId) ?? row.original.segmentId}</Link>,
      },
      { id: 'url', header: 'URL', cell: ({ row }) => <code className="url">{row.original.url}</code> },
      { id: 'created', header: 'Created', cell: ({ row }) => formatInstant(row.original.createdAt) },
      { id: 'state', header: 'Delivery', cell: ({ row }) => <DeliveryState webhook={row.original} /> },
      {
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        cell: ({ row }) => (
          <div className="row-actions">
            <Link className="button" to={`/settings/webhooks/${encodeURIComponent(row.original.id)}`} aria-label={`Delivery log of the webhook to ${row.original.url}`}>
              Deliveries
            </Link>
            <button type="button" className="danger" onClick={() => void confirmRef.current(row.original)} aria-label={`Delete the webhook to ${row.original.url}`}>
              Delete
            </button>
          </div>
        ),
      },
    ],
    [],
  );
  if (webhooks.isPending) return <Loading what="Loading webhooks" />;
  if (webhooks.isError) return <ErrorState error={webhooks.error} retry={() => void webhooks.refetch()} />;
  const selected = webhookId ? webhooks.data.items.find((w) => w.id === webhookId) : undefined;
  return (
    <div className="settings-section">
      {remove.isError && (
        <div className="state error" role="alert">
          <FormError error={remove.error} />
        </div>
      )}
      <div className="table-scroll">
        <DataTable label="Webhooks" rows={webhooks.data.items} columns={columns} rowId={(w) => w.id} empty="No webhooks yet. Add one below to have a segment's entries and exits POSTed to your system." />
      </div>
      {webhookId &&
        (selected ? (
          <WebhookDeliveries webhookId={selected.id} title={`${segmentNames.get(selected.segmentId) ?? selected.segmentId} → ${selected.url}`} />
        ) : (
          <Empty>
            No webhook “{webhookId}”. <Link to="/settings/webhooks">Back to the webhooks</Link>.
          </Empty>
        ))}
      {segments.isError ? (
        <ErrorState error={segments.error} retry={() => void segments.refetch()} />
      ) : (
        <CreateWebhookForm segments={segments.data?.items ?? []} />
      )}
      {confirmDialog}
    </div>
  );
}

function DeliveryState({ webhook: w }: { webhook: Webhook }) {
  if (w.lastError)
    return (
      <span>
        <span className="badge status-error">failing</span> {plural(w.attempts, 'attempt')}
        {w.nextAttemptAt && <>, next {formatInstant(w.nextAttemptAt)}</>}
        <span className="muted webhook-error"> {w.lastError}</span>
      </span>
    );
  return (
    <span>
      <span className="badge status-live">ok</span> <span className="muted">up to change #{w.deliveredSeq}</span>
    </span>
  );
}

/**
 * The segment's name, badges and counts, and its lifecycle actions: edit (rename for a static
 * segment), go live, refresh, stop, delete. A viewer's key is offered none of them.
 */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../api/hooks';
import type { EvaluationResult, Segment } from '../api/types';
import { useConfirm } from '../ui/Dialog';
import { formatCount, formatInstant, noun, plural } from '../ui/format';
import { OutcomeBanner, reasonOf, type Outcome } from '../ui/Outcome';
import { StatusBadge, TypeBadge } from '../ui/StatusBadge';
import { canGoLive, canRefresh, canStop, FAILED_VERB, reasonWithNames, renamedInPlace, runLifecycle, type LifecycleAction } from './lifecycle';
import { RenameDialog } from './RenameDialog';
import { segmentKey, segmentPage, useInvalidateSegment } from './queries';

const DONE: Record<Exclude<LifecycleAction, 'delete'>, string> = { 'go-live': 'Live', stop: 'Stopped', refresh: 'Refreshed' };

/** "Live: 1,363 members (12 entered, 3 exited) in 40 ms." */
function describeResult(action: Exclude<LifecycleAction, 'delete'>, r: EvaluationResult): string {
  const parts = [`${DONE[action]}: ${plural(r.members ?? r.segment.memberCount, 'member')}`];
  if (r.entered !== undefined || r.exited !== undefined) parts.push(` (${formatCount(r.entered ?? 0)} entered, ${formatCount(r.exited ?? 0)} exited)`);
  if (r.ms !== undefined) parts.push(` in ${Math.round(r.ms)} ms`);
  return `${parts.join('')}.`;
}

export function SegmentHeader({ segment: s }: { segment: Segment }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invalidate = useInvalidateSegment(s.id);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [confirmDialog, confirm] = useConfirm();
  // Only once the key is known to be an editor's: a viewer never sees actions appear and go.
  const canChange = useCan('editor') === true;
  const act = useMutation({
    mutationFn: async (action: LifecycleAction) => {
      try {
        return await runLifecycle(action, s);
      } catch (e) {
        // Shown by name: the segments the reason names by id, too.
        throw new Error(await reasonWithNames(e));
      }
    },
    onMutate: () => setOutcome(null),
    onSuccess: async (result, action) => {
      if (action === 'delete') {
        // Forget the segment rather than refetch it (it is gone), and go back to the list.
        queryClient.removeQueries({ queryKey: segmentKey(s.id) });
        void queryClient.invalidateQueries({ queryKey: ['segments'] });
        void navigate('/');
        return;
      }
      if (!result) return;
      // The answer carries the segment as it now is: show its status at once, then refresh the rest.
      queryClient.setQueryData(segmentKey(s.id), result.segment);
      setOutcome({ message: describeResult(action, result), failures: [] });
      await invalidate();
    },
    onError: (e, action) => setOutcome({ message: `Could not ${FAILED_VERB[action]} the segment.`, failures: [{ name: s.name, reason: reasonOf(e) }] }),
  });
  const perform = async (action: LifecycleAction) => {
    if (action === 'delete' && !(await confirm({ title: `Delete “${s.name}”?`, message: 'Its members and history are deleted with it. This cannot be undone.', confirmLabel: 'Delete', danger: true })))
      return;
    act.mutate(action);
  };
  const isStatic = s.type === 'static';
  const isDraft = s.status === 'draft';
  return (
    <header className="segment-head">
      <div className="page-head">
        <div>
          {/* The way back, under the segment's name as marketers know it; the id (for the CLI and API) shows on hover. */}
          <nav className="segment-crumb" aria-label="Breadcrumb">
            <Link to="/">Segments</Link> / <span aria-current="page" title={`Id: ${s.id}`}>{s.name}</span>
          </nav>
          <h1 id="segment-title">{s.name}</h1>
          <div className="segment-badges">
            <TypeBadge type={s.type} />
            <span data-testid="segment-status">
              <StatusBadge status={s.status} />
            </span>
            <span className="segment-count">
              {isDraft && !isStatic ? (
                <span className="muted">Members computed on demand (draft)</span>
              ) : (
                <>
                  <strong className="num">{formatCount(s.memberCount)}</strong> {noun(s.memberCount, 'member')}
                </>
              )}
            </span>
            {!isStatic && <span className="muted">Last evaluated: {s.evaluatedAt ? formatInstant(s.evaluatedAt) : 'never'}</span>}
          </div>
        </div>
        {canChange && (
          <div className="segment-actions" role="group" aria-label="Segment actions">
            {renamedInPlace(s) ? (
              <button type="button" onClick={() => setRenaming(true)} disabled={act.isPending}>
                Rename
              </button>
            ) : (
              <Link className="button" to={segmentPage(s.id, 'design')}>
                Edit
              </Link>
            )}
            {canGoLive(s) && (
              <button type="button" className="primary" onClick={() => void perform('go-live')} disabled={act.isPending}>
                Go live
              </button>
            )}
            {canRefresh(s) && (
              <button type="button" onClick={() => void perform('refresh')} disabled={act.isPending}>
                Refresh
              </button>
            )}
            {canStop(s) && (
              <button type="button" onClick={() => void perform('stop')} disabled={act.isPending}>
                Stop
              </button>
            )}
            <button type="button" className="danger" onClick={() => void perform('delete')} disabled={act.isPending}>
              Delete
            </button>
          </div>
        )}
      </div>
      {s.description && <p className="segment-description">{s.description}</p>}
      {s.status === 'error' && s.error && (
        <p className="state error" role="alert">
          <strong>This segment failed to evaluate.</strong> {s.error}
        </p>
      )}
      {act.isPending && (
        <p className="muted" role="status">
          Working…
        </p>
      )}
      <OutcomeBanner outcome={outcome} />
      {renaming && <RenameDialog segment={s} open onClose={() => setRenaming(false)} onRenamed={(r) => setOutcome({ message: `Renamed to “${r.name}”.`, failures: [] })} />}
      {confirmDialog}
    </header>
  );
}

/** The segment's name, badges and counts, and its lifecycle actions (edit, go live, stop, refresh, delete). */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import type { EvaluationResult, Segment } from '../api/types';
import { formatCount, formatInstant } from '../ui/format';
import { StatusBadge, TypeBadge } from '../ui/StatusBadge';
import { segmentApiPath, segmentKey, segmentPage, useInvalidateSegment } from './queries';

type Action = 'go-live' | 'stop' | 'refresh' | 'delete';

const FAILED: Record<Action, string> = { 'go-live': 'take the segment live', stop: 'stop the segment', refresh: 'refresh the segment', delete: 'delete the segment' };

const DONE: Record<Exclude<Action, 'delete'>, string> = { 'go-live': 'Live', stop: 'Stopped', refresh: 'Refreshed' };

/** "Live: 1,363 members (+12, −3) in 40 ms." */
function describeResult(action: Exclude<Action, 'delete'>, r: EvaluationResult): string {
  const parts = [`${DONE[action]}: ${formatCount(r.members ?? r.segment.memberCount)} members`];
  if (r.entered !== undefined || r.exited !== undefined) parts.push(` (${formatCount(r.entered ?? 0)} entered, ${formatCount(r.exited ?? 0)} exited)`);
  if (r.ms !== undefined) parts.push(` in ${Math.round(r.ms)} ms`);
  return `${parts.join('')}.`;
}

export function SegmentHeader({ segment: s }: { segment: Segment }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invalidate = useInvalidateSegment(s.id);
  const [message, setMessage] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: async (action: Action) => {
      if (action === 'delete') {
        await api(segmentApiPath(s.id), { method: 'DELETE' });
        return null;
      }
      return api<EvaluationResult>(segmentApiPath(s.id, `/${action}`), { method: 'POST' });
    },
    onMutate: () => setMessage(null),
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
      setMessage(describeResult(action, result));
      await invalidate();
    },
  });
  const perform = (action: Action) => {
    if (action === 'delete' && !window.confirm(`Delete "${s.name}"? This cannot be undone.`)) return;
    act.mutate(action);
  };
  const isStatic = s.type === 'static';
  const isDraft = s.status === 'draft';
  return (
    <header className="segment-head">
      <div className="page-head">
        <div>
          <p className="segment-crumb">
            <Link to="/">Segments</Link> / <code>{s.id}</code>
          </p>
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
                  <strong className="num">{formatCount(s.memberCount)}</strong> member{s.memberCount === 1 ? '' : 's'}
                </>
              )}
            </span>
            {!isStatic && <span className="muted">Last evaluated: {s.evaluatedAt ? formatInstant(s.evaluatedAt) : 'never'}</span>}
          </div>
        </div>
        <div className="segment-actions" role="group" aria-label="Segment actions">
          {!isStatic && (
            <Link className="button" to={segmentPage(s.id, 'design')}>
              Edit
            </Link>
          )}
          {!isStatic && s.status !== 'live' && (
            <button type="button" className="primary" onClick={() => perform('go-live')} disabled={act.isPending}>
              Go live
            </button>
          )}
          {s.status === 'live' && !isStatic && (
            <button type="button" onClick={() => perform('refresh')} disabled={act.isPending}>
              Refresh
            </button>
          )}
          {/* No Stop for static segments either: without Go live they could not be restarted here. */}
          {s.status === 'live' && !isStatic && (
            <button type="button" onClick={() => perform('stop')} disabled={act.isPending}>
              Stop
            </button>
          )}
          <button type="button" className="danger" onClick={() => perform('delete')} disabled={act.isPending}>
            Delete
          </button>
        </div>
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
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {act.isError && (
        <div className="state error" role="alert">
          <strong>Could not {FAILED[act.variables]}.</strong> {act.error.message}
        </div>
      )}
    </header>
  );
}

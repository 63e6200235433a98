/**
 * The segment designer: `/designer/new` (a new dynamic or compound segment, optionally from a
 * template's definition in the location state, or `?type=`) and `/segments/:id/design` (edit,
 * saved with If-Match so a change made meanwhile is never overwritten silently).
 */
import { useQuery } from '@tanstack/react-query';
import { useLocation, useParams, useSearchParams } from 'react-router';
import { api, apiResponse } from '../api/client';
import type { Segment } from '../api/types';
import type { SegmentDefinition } from '../../../src/definition/ast.js';
import { ErrorState, Loading } from '../ui/states';
import { Designer } from './Designer';
import { emptyState, fromDefinition } from './model';

interface DesignerLocationState {
  definition?: SegmentDefinition;
  /** Set after a create, so the edit page does not fetch what it just saved. */
  segment?: Segment;
  /** Why "Go live" failed right after the create that brought us here (shown on arrival). */
  failure?: string;
}

export function DesignerPage() {
  const { id } = useParams();
  return id ? <EditDesigner id={id} /> : <NewDesigner />;
}

function NewDesigner() {
  const location = useLocation();
  const [params] = useSearchParams();
  const fromTemplate = (location.state as DesignerLocationState | null)?.definition;
  const type = params.get('type') === 'compound' ? 'compound' : 'dynamic';
  const initial = fromTemplate ? fromDefinition(fromTemplate) : emptyState(type);
  // A template names its draft (contacts-in-az); renaming it renames the id too, until the id is edited by hand.
  return <Designer key={location.key} initial={initial} idEdited={false} />;
}

async function loadSegment(id: string, signal: AbortSignal): Promise<Segment> {
  const res = await apiResponse(`/segments/${encodeURIComponent(id)}`, { signal });
  return (await res.json()) as Segment;
}

function EditDesigner({ id }: { id: string }) {
  const location = useLocation();
  const handedOver = (location.state as DesignerLocationState | null)?.segment;
  const failure = (location.state as DesignerLocationState | null)?.failure;
  const q = useQuery({
    queryKey: ['designer-segment', id],
    queryFn: ({ signal }) => loadSegment(id, signal),
    enabled: handedOver?.id !== id,
    gcTime: 0,
    staleTime: 0,
  });
  const segment = handedOver?.id === id ? handedOver : q.data;
  if (!segment) {
    if (q.error) return <ErrorState error={q.error} retry={() => void q.refetch()} />;
    return <Loading what="Loading the segment" />;
  }
  return <Designer key={`${segment.id}@${segment.version}@${q.dataUpdatedAt}`} initial={fromDefinition(segment.definition)} segment={segment} idEdited {...(failure && handedOver?.id === id ? { initialFailure: failure } : {})} />;
}

/** The latest stored version of a segment (for "changed meanwhile" conflicts). */
export const fetchSegment = (id: string): Promise<Segment> => api<Segment>(`/segments/${encodeURIComponent(id)}`);

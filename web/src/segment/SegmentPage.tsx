/**
 * One segment: its header (status, counts, lifecycle actions) and a tab per question one asks
 * about it. Each tab is its own address (/segments/:id/members, /history…), so it can be shared.
 */
import { Navigate, NavLink, Route, Routes, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { Empty, ErrorState, Loading } from '../ui/states';
import { DefinitionTab } from './DefinitionTab';
import { ExplainTab } from './ExplainTab';
import { HistoryTab } from './HistoryTab';
import { MembersTab } from './MembersTab';
import { OverlapTab } from './OverlapTab';
import { segmentPage, useSegment } from './queries';
import { SegmentHeader } from './SegmentHeader';
import { StaticMembersTab } from './StaticMembersTab';

const TABS = [
  { path: 'members', label: 'Members' },
  { path: 'history', label: 'History' },
  { path: 'explain', label: 'Explain' },
  { path: 'definition', label: 'Definition' },
  { path: 'overlap', label: 'Overlap' },
] as const;

export function SegmentPage() {
  const id = useParams().id ?? '';
  const segment = useSegment(id);
  if (segment.isPending) return <Loading what="Loading the segment" />;
  if (segment.isError) {
    if (segment.error instanceof ApiError && segment.error.status === 404)
      return (
        <Empty>
          No segment with id <code>{id}</code>. <a href="#/">Back to the segments</a>.
        </Empty>
      );
    return <ErrorState error={segment.error} retry={() => void segment.refetch()} />;
  }
  const s = segment.data;
  return (
    <section aria-labelledby="segment-title">
      <SegmentHeader segment={s} />
      <nav className="tabs" aria-label="Segment sections">
        {TABS.map((t) => (
          <NavLink key={t.path} to={segmentPage(s.id, t.path)}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<Navigate to={segmentPage(s.id, 'members')} replace />} />
        <Route path="members" element={s.type === 'static' ? <StaticMembersTab segment={s} /> : <MembersTab segment={s} />} />
        <Route path="history" element={<HistoryTab segment={s} />} />
        <Route path="explain" element={<ExplainTab segment={s} />} />
        <Route path="definition" element={<DefinitionTab segment={s} />} />
        <Route path="overlap" element={<OverlapTab segment={s} />} />
        <Route
          path="*"
          element={
            <Empty>
              No such tab. <NavLink to={segmentPage(s.id, 'members')}>Show the members</NavLink>.
            </Empty>
          }
        />
      </Routes>
    </section>
  );
}

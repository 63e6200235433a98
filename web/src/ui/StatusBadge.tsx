import type { SegmentStatus, SegmentType } from '../api/types';

export function StatusBadge({ status }: { status: SegmentStatus }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

export function TypeBadge({ type }: { type: SegmentType }) {
  return <span className={`badge type-${type}`}>{type}</span>;
}

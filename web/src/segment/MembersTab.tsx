import type { Segment } from '../api/types';
import { MemberList } from './MemberList';

/** Dynamic and compound segments: their members, read-only (the definition decides them). */
export function MembersTab({ segment }: { segment: Segment }) {
  return (
    <div role="region" aria-label="Members">
      <MemberList segment={segment} />
    </div>
  );
}

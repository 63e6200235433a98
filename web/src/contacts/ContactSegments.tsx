import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ApiError } from '../api/client';
import type { SegmentStatus, SegmentType } from '../api/types';
import { formatInstant } from '../ui/format';
import { Loading } from '../ui/states';
import { StatusBadge, TypeBadge } from '../ui/StatusBadge';

/** GET /contacts/{id}/segments: the segments the contact is in now, and its latest entries and exits (newest first). */
export interface ContactSegmentsAnswer {
  items: { segmentId: string; name: string; type: SegmentType; status: SegmentStatus; enteredAt: string | null }[];
  changes: { segmentId: string; name: string; change: 'entered' | 'exited'; at: string; cause: string }[];
}

const segmentPath = (id: string) => `/segments/${encodeURIComponent(id)}`;

export function ContactSegments({ contactId }: { contactId: string }) {
  const answer = useQuery({
    queryKey: ['contact', contactId, 'segments'],
    queryFn: () => api<ContactSegmentsAnswer>(`/contacts/${encodeURIComponent(contactId)}/segments`),
  });
  return (
    <section className="card" aria-labelledby="contact-segments-title">
      <h2 id="contact-segments-title">Segments</h2>
      {answer.isPending ? (
        <Loading what="Loading segment membership" />
      ) : answer.isError ? (
        <MembershipUnavailable error={answer.error} retry={() => void answer.refetch()} />
      ) : (
        <div className="contact-segments">
          <div>
            <h3>Member of now</h3>
            {answer.data.items.length === 0 ? (
              <p className="muted">Not a member of any segment.</p>
            ) : (
              <ul className="plain-list">
                {answer.data.items.map((s) => (
                  <li key={s.segmentId}>
                    <Link to={segmentPath(s.segmentId)}>{s.name}</Link> <TypeBadge type={s.type} /> <StatusBadge status={s.status} />
                    <span className="muted"> {s.enteredAt ? `since ${formatInstant(s.enteredAt)}` : '(entry time not recorded)'}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h3>Latest entries and exits</h3>
            {answer.data.changes.length === 0 ? (
              <p className="muted">No membership changes recorded.</p>
            ) : (
              <ol className="plain-list">
                {answer.data.changes.map((c) => (
                  <li key={`${c.segmentId}-${c.at}-${c.change}`}>
                    <time dateTime={c.at}>{formatInstant(c.at)}</time> <span className={`badge change-${c.change}`}>{c.change}</span>{' '}
                    <Link to={segmentPath(c.segmentId)}>{c.name}</Link>
                    {c.cause && <span className="muted"> — {c.cause.replace(/_/g, ' ')}</span>}
                  </li>
                ))}
              </ol>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** The endpoint is new: an older server answers 404 "no route"; say so plainly instead of a generic failure. */
function MembershipUnavailable({ error, retry }: { error: unknown; retry: () => void }) {
  const missingRoute = error instanceof ApiError && error.status === 404 && /no route/i.test(error.message);
  return (
    <div className="state error" role="alert">
      {missingRoute ? (
        <>This server does not report a contact's segments yet (it has no <code>GET /contacts/{'{id}'}/segments</code>).</>
      ) : (
        <>
          <strong>Segment membership could not be loaded.</strong> {error instanceof Error ? error.message : String(error)}
        </>
      )}
      <button type="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

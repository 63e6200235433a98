/** The definition, read-only: in plain words (the API's summary) and as its JSON. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Segment } from '../api/types';
import { ErrorState, Loading } from '../ui/states';
import { segmentApiPath, segmentKey, segmentPage } from './queries';

/** "members of …" → "Members of …." */
const sentence = (s: string): string => (s ? `${s[0]!.toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}` : s);

export function DefinitionTab({ segment: s }: { segment: Segment }) {
  const summary = useQuery({
    queryKey: [...segmentKey(s.id), 'summary'],
    queryFn: () => api<{ id: string; summary: string }>(segmentApiPath(s.id, '/summary')),
  });
  return (
    <div className="definition-tab">
      <section className="card" aria-labelledby="definition-words-title">
        <h2 id="definition-words-title">In plain words</h2>
        {summary.isPending ? (
          <Loading what="Loading the summary" />
        ) : summary.isError ? (
          <ErrorState error={summary.error} retry={() => void summary.refetch()} />
        ) : (
          <p className="definition-summary">{sentence(summary.data.summary)}</p>
        )}
        <p className="muted">
          Version {s.version}
          {s.type !== 'static' && (
            <>
              {' '}
              · <Link to={segmentPage(s.id, 'design')}>Edit in the designer</Link>
            </>
          )}
        </p>
      </section>
      <details className="definition-json">
        <summary>Definition JSON</summary>
        <pre tabIndex={0} aria-label="Definition JSON">
          {JSON.stringify(s.definition, null, 2)}
        </pre>
      </details>
    </div>
  );
}

import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useLabels } from '../api/labels';
import type { ContactRecord, Page } from '../api/types';
import { formatInstant, plural } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { formatValue } from './format-value';

const PAGE_SIZE = 20;
/** The columns every interaction has; the rest (set, non-null) are its type's properties. */
const FIXED = new Set(['id', 'contact_id', 'type', 'occurred_at']);

const properties = (i: ContactRecord) => Object.entries(i).filter(([k, v]) => !FIXED.has(k) && v !== null && v !== undefined && v !== '');

/** A contact's interactions, newest first, a page at a time ("Load more" follows the cursor). */
export function InteractionsTimeline({ contactId }: { contactId: string }) {
  const pages = useInfiniteQuery({
    queryKey: ['contact', contactId, 'interactions'],
    queryFn: ({ pageParam }) => api<Page<ContactRecord>>(`/contacts/${encodeURIComponent(contactId)}/interactions`, { query: { limit: PAGE_SIZE, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next,
  });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const labels = useLabels();
  return (
    <section className="card" aria-labelledby="interactions-title">
      <h2 id="interactions-title">Interactions</h2>
      {pages.isPending ? (
        <Loading what="Loading interactions" />
      ) : pages.isError && items.length === 0 ? (
        <ErrorState error={pages.error} retry={() => void pages.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">No interactions recorded for this contact.</p>
      ) : (
        <>
          <ol className="timeline">
            {items.map((i) => (
              <li key={i.id}>
                <time dateTime={String(i.occurred_at)}>{formatInstant(typeof i.occurred_at === 'string' ? i.occurred_at : null)}</time>
                <span className="badge interaction-type" title={String(i.type)}>
                  {labels.of('interaction_type', String(i.type))}
                </span>
                {properties(i).length > 0 && (
                  <dl className="interaction-props">
                    {properties(i).map(([k, v]) => (
                      <div key={k}>
                        <dt title={k}>{labels.of('interaction', k)}</dt>
                        <dd>{formatValue(v)}</dd>
                      </div>
                    ))}
                  </dl>
                )}
              </li>
            ))}
          </ol>
          {pages.isFetchNextPageError && <ErrorState error={pages.error} retry={() => void pages.fetchNextPage()} />}
          <div className="timeline-more">
            <span className="muted" aria-live="polite">
              {plural(items.length, 'interaction')} shown{pages.hasNextPage ? '' : ' — all of them'}
            </span>
            {pages.hasNextPage && (
              <button type="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
                {pages.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

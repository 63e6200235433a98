/**
 * The definition, read-only: in plain words (the API's summary, names under their display labels)
 * as an outline, where each group and each all/any/not is a nested list, and as its JSON.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { asSentence, RELATION_WORDS, type OutlineItem } from '../../../src/definition/describe.js';
import { api } from '../api/client';
import type { Segment } from '../api/types';
import { ErrorState, Loading } from '../ui/states';
import { segmentApiPath, segmentKey, segmentPage } from './queries';

/** One level of the outline: each block (or part of a condition) a list item, its relation first. */
function Outline({ items, top }: { items: OutlineItem[]; top?: boolean }) {
  return (
    <ul className={top ? 'definition-outline' : 'definition-outline-nested'}>
      {items.map((item, i) => (
        <li key={i}>
          {item.relation && <strong className={`outline-relation relation-${item.relation}`}>{RELATION_WORDS[item.relation]}: </strong>}
          {top && i === 0 ? item.text.charAt(0).toUpperCase() + item.text.slice(1) : item.text}
          {item.items && item.items.length > 0 && <Outline items={item.items} />}
        </li>
      ))}
    </ul>
  );
}

export function DefinitionTab({ segment: s }: { segment: Segment }) {
  const summary = useQuery({
    queryKey: [...segmentKey(s.id), 'summary', s.version],
    queryFn: () => api<{ id: string; summary: string; outline?: OutlineItem[] }>(segmentApiPath(s.id, '/summary')),
  });
  return (
    <div className="definition-tab">
      <section className="card" aria-labelledby="definition-words-title">
        <h2 id="definition-words-title">In plain words</h2>
        {summary.isPending ? (
          <Loading what="Loading the summary" />
        ) : summary.isError ? (
          <ErrorState error={summary.error} retry={() => void summary.refetch()} />
        ) : summary.data.outline && summary.data.outline.length > 0 ? (
          <div className="definition-summary" aria-label="Definition in plain words">
            <Outline items={summary.data.outline} top />
          </div>
        ) : (
          <p className="definition-summary">{asSentence(summary.data.summary)}</p>
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

/** How this segment's members overlap with other segments': pick some, see the intersections. */
import { useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api/client';
import type { Page, Segment } from '../api/types';
import { legendText } from './chartText';
import { formatCount, plural } from '../ui/format';
import { Empty, ErrorState, Loading } from '../ui/states';
import { segmentKey } from './queries';

interface Overlap {
  segments: { id: string; members: number }[];
  pairs: { a: string; b: string; both: number }[];
}

/** The API compares 2 to 20 segments: this one and up to 19 others. */
const MAX_OTHERS = 19;

const percent = (part: number, whole: number): string => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—');

export function OverlapTab({ segment: s }: { segment: Segment }) {
  // The segments compared are in the address (?with=a,b), so a comparison can be shared.
  // Held in state first (the checkboxes follow at once) and copied to the address: a router
  // navigation is a transition, and a controlled checkbox would show its old state meanwhile.
  const [params, setParams] = useSearchParams();
  const [others, setOthers] = useState(() => (params.get('with') ?? '').split(',').filter((id) => id && id !== s.id));
  useEffect(() => {
    setParams(others.length ? { with: others.join(',') } : {}, { replace: true });
  }, [others, setParams]);
  const all = useQuery({
    queryKey: ['segments', 'all'],
    queryFn: () => api<Page<Segment>>('/segments', { query: { limit: 1000 } }),
  });
  const ids = [s.id, ...others];
  const overlap = useQuery({
    queryKey: [...segmentKey(s.id), 'overlap', ids.join(',')],
    queryFn: () => api<Overlap>('/segments/overlap', { query: { ids: ids.join(',') } }),
    enabled: others.length > 0,
    placeholderData: keepPreviousData,
  });
  const names = useMemo(() => new Map((all.data?.items ?? []).map((x) => [x.id, x.name])), [all.data]);
  const nameOf = (id: string): string => names.get(id) ?? id;
  const toggle = (id: string, on: boolean) => setOthers((prev) => (on ? [...prev.filter((x) => x !== id), id] : prev.filter((x) => x !== id)));
  const candidates = (all.data?.items ?? []).filter((x) => x.id !== s.id);
  const result = others.length > 0 ? overlap.data : undefined;
  const own = result?.segments.find((x) => x.id === s.id)?.members ?? s.memberCount;
  const chartData = others.map((id) => {
    const pair = result?.pairs.find((p) => (p.a === s.id && p.b === id) || (p.b === s.id && p.a === id));
    const members = result?.segments.find((x) => x.id === id)?.members ?? 0;
    const both = pair?.both ?? 0;
    return { id, name: nameOf(id), both, onlyOther: Math.max(members - both, 0) };
  });
  return (
    <div className="overlap-tab">
      {s.status === 'draft' && <p className="segment-info">This segment is a draft and has no stored members, so it overlaps with nothing yet: take it live first.</p>}
      <fieldset className="card overlap-picker">
        <legend>Compare with</legend>
        {all.isPending ? (
          <Loading what="Loading the segments" />
        ) : all.isError ? (
          <ErrorState error={all.error} retry={() => void all.refetch()} />
        ) : candidates.length === 0 ? (
          <p className="muted">There is no other segment to compare with.</p>
        ) : (
          <ul className="overlap-options">
            {candidates.map((x) => {
              const checked = others.includes(x.id);
              return (
                <li key={x.id}>
                  <label>
                    <input type="checkbox" checked={checked} disabled={!checked && others.length >= MAX_OTHERS} onChange={(e) => toggle(x.id, e.target.checked)} /> {x.name}{' '}
                    <span className="muted num">({formatCount(x.memberCount)})</span>
                  </label>
                </li>
              );
            })}
          </ul>
        )}
        {others.length >= MAX_OTHERS && <p className="muted">At most {MAX_OTHERS} segments at a time.</p>}
      </fieldset>
      {others.length === 0 ? (
        <Empty>Pick one or more segments to see how many members they share with “{s.name}”.</Empty>
      ) : overlap.isPending ? (
        <Loading what="Comparing" />
      ) : overlap.isError ? (
        <ErrorState error={overlap.error} retry={() => void overlap.refetch()} />
      ) : (
        result && (
          <>
            <section aria-labelledby="overlap-chart-title">
              <h2 id="overlap-chart-title">Shared members</h2>
              <figure className="card chart-card">
                <BarChart
                  responsive
                  layout="vertical"
                  style={{ width: '100%', height: Math.max(120, 50 * chartData.length + 60) }}
                  data={chartData}
                  margin={{ top: 5, right: 20, bottom: 5, left: 10 }}
                >
                  <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ec" />
                  <XAxis type="number" allowDecimals={false} tickFormatter={formatCount} />
                  <YAxis type="category" dataKey="name" width={180} />
                  <Tooltip formatter={(v) => (typeof v === 'number' ? formatCount(v) : String(v))} />
                  <Legend formatter={legendText} />
                  <Bar isAnimationActive={false} dataKey="both" name={`Also in “${s.name}”`} stackId="members" fill="#3451d1" />
                  <Bar isAnimationActive={false} dataKey="onlyOther" name="Not in it" stackId="members" fill="#c5cdf2" />
                </BarChart>
                <figcaption className="muted">
                  Each bar is the other segment&apos;s members; the dark part are also among the {plural(own, 'member')} of “{s.name}”.
                </figcaption>
              </figure>
            </section>
            <section aria-labelledby="overlap-table-title">
              <h2 id="overlap-table-title">Every pair</h2>
              <div className="table-scroll">
                <table className="data-table" aria-label="Pairwise overlap">
                  <thead>
                    <tr>
                      <th scope="col">Segment A</th>
                      <th scope="col">Segment B</th>
                      <th scope="col">In both</th>
                      <th scope="col">Share of A</th>
                      <th scope="col">Share of B</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.pairs.map((p) => {
                      const a = result.segments.find((x) => x.id === p.a)?.members ?? 0;
                      const b = result.segments.find((x) => x.id === p.b)?.members ?? 0;
                      return (
                        <tr key={`${p.a}|${p.b}`}>
                          <td>{nameOf(p.a)}</td>
                          <td>{nameOf(p.b)}</td>
                          <td className="num">{formatCount(p.both)}</td>
                          <td className="num">{percent(p.both, a)}</td>
                          <td className="num">{percent(p.both, b)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </section>
          </>
        )
      )}
    </div>
  );
}

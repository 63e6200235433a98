/** How the membership moved: member count per hour/day/week, and the latest entries and exits with their cause. */
import { useId, useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api/client';
import type { Page, Segment } from '../api/types';
import { legendText } from './chartText';
import { formatCount, formatInstant } from '../ui/format';
import { Empty, ErrorState, Loading } from '../ui/states';
import { LatestChanges } from './LatestChanges';
import { segmentApiPath, segmentKey } from './queries';

type Bucket = 'hour' | 'day' | 'week';
interface HistoryPoint {
  at: string;
  members: number;
  entered: number;
  exited: number;
}

const dayLabel = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const hourLabel = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: 'numeric' });
const labelOf = (bucket: Bucket, iso: string): string => (bucket === 'hour' ? hourLabel : dayLabel).format(new Date(iso));

export function HistoryTab({ segment: s }: { segment: Segment }) {
  const [bucket, setBucket] = useState<Bucket>('day');
  const selectId = useId();
  const history = useQuery({
    queryKey: [...segmentKey(s.id), 'history', bucket],
    queryFn: () => api<Page<HistoryPoint>>(segmentApiPath(s.id, '/history'), { query: { bucket } }),
    placeholderData: keepPreviousData,
  });
  const data = useMemo(() => (history.data?.items ?? []).map((p) => ({ ...p, label: labelOf(bucket, p.at) })), [history.data, bucket]);
  return (
    <div className="history-tab">
      <section aria-labelledby="history-chart-title">
        <div className="page-head">
          <h2 id="history-chart-title">Member count over time</h2>
          <div className="toolbar">
            <label htmlFor={selectId}>Per</label>
            <select id={selectId} value={bucket} onChange={(e) => setBucket(e.target.value as Bucket)}>
              <option value="hour">Hour</option>
              <option value="day">Day</option>
              <option value="week">Week</option>
            </select>
          </div>
        </div>
        {history.isPending ? (
          <Loading what="Loading the history" />
        ) : history.isError ? (
          <ErrorState error={history.error} retry={() => void history.refetch()} />
        ) : data.length === 0 ? (
          <Empty>{s.status === 'draft' ? 'A draft keeps no history: take it live to start recording its membership.' : 'No membership change recorded yet.'}</Empty>
        ) : (
          <figure className="card chart-card">
            <ComposedChart responsive style={{ width: '100%', height: 300 }} data={data} margin={{ top: 10, right: 10, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ec" />
              <XAxis dataKey="label" />
              <YAxis yAxisId="members" allowDecimals={false} tickFormatter={formatCount} />
              <YAxis yAxisId="moves" orientation="right" allowDecimals={false} tickFormatter={formatCount} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? formatCount(v) : String(v))} />
              <Legend formatter={legendText} />
              <Bar isAnimationActive={false} yAxisId="moves" dataKey="entered" name="Entered" fill="#7fc79a" />
              <Bar isAnimationActive={false} yAxisId="moves" dataKey="exited" name="Exited" fill="#e99b95" />
              <Line isAnimationActive={false} yAxisId="members" type="monotone" dataKey="members" name="Members" stroke="#3451d1" strokeWidth={2} dot={data.length < 40} />
            </ComposedChart>
            <figcaption className="muted">
              Members at the end of each {bucket} (left axis), with the entries and exits during it (right axis).
            </figcaption>
            <details>
              <summary>Show as a table</summary>
              <div className="table-scroll">
                <table className="data-table" aria-label="Member count over time">
                  <thead>
                    <tr>
                      <th scope="col">{bucket[0]!.toUpperCase() + bucket.slice(1)} starting</th>
                      <th scope="col">Members</th>
                      <th scope="col">Entered</th>
                      <th scope="col">Exited</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.map((p) => (
                      <tr key={p.at}>
                        <td>{formatInstant(p.at)}</td>
                        <td className="num">{formatCount(p.members)}</td>
                        <td className="num">{formatCount(p.entered)}</td>
                        <td className="num">{formatCount(p.exited)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </figure>
        )}
      </section>
      <LatestChanges segment={s} />
    </div>
  );
}

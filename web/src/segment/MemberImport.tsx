/** Import hand-picked members from a CSV of contact ids, in batches, with a report of what was added. */
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Segment } from '../api/types';
import { formatCount, noun, plural } from '../ui/format';
import { ErrorState } from '../ui/states';
import { addMembersInBatches, type ImportReport } from './addMembers';
import { parseIdsCsv } from './csvIds';
import { useInvalidateSegment } from './queries';

const SHOWN_UNKNOWN = 20;

export function MemberImport({ segment: s }: { segment: Segment }) {
  const inputId = useId();
  const invalidate = useInvalidateSegment(s.id);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const run = useMutation({
    mutationFn: async (file: File): Promise<ImportReport & { file: string }> => {
      const ids = parseIdsCsv(await file.text());
      setProgress({ done: 0, total: ids.length });
      const report = await addMembersInBatches(s.id, ids, (done) => setProgress({ done, total: ids.length }));
      return { ...report, file: file.name };
    },
    onSettled: async () => {
      setProgress(null);
      await invalidate();
    },
  });
  const report = run.data;
  const already = report ? report.requested - report.added - report.unknown.length : 0;
  return (
    <div className="member-import">
      <p className="muted">
        One contact id per line, or ids in the first column; a header line named <code>id</code> is skipped. Ids already in the segment are left as they are.
      </p>
      <label htmlFor={inputId}>CSV file of contact ids</label>{' '}
      <input
        id={inputId}
        type="file"
        accept=".csv,.txt,text/csv,text/plain"
        disabled={run.isPending}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) run.mutate(file);
          e.target.value = ''; // the same file can be picked again
        }}
      />
      {progress && (
        <p role="status">
          Importing… <progress max={Math.max(progress.total, 1)} value={progress.done} /> {formatCount(progress.done)} of {plural(progress.total, 'id')}
        </p>
      )}
      {run.isError && <ErrorState error={run.error} />}
      {report && !run.isPending && (
        <div className="notice" role="status">
          <p>
            {report.file}: {plural(report.requested, 'id')} read, {formatCount(report.added)} added
            {already > 0 && `, ${formatCount(already)} already ${noun(already, 'a member', 'members')}`}.
          </p>
          {report.unknown.length > 0 && (
            <p>
              {plural(report.unknown.length, 'unknown contact id')} skipped:{' '}
              {report.unknown.slice(0, SHOWN_UNKNOWN).map((id, i) => (
                <span key={id}>
                  {i > 0 && ', '}
                  <code>{id}</code>
                </span>
              ))}
              {report.unknown.length > SHOWN_UNKNOWN && ` and ${formatCount(report.unknown.length - SHOWN_UNKNOWN)} more`}.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

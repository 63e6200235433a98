/**
 * Static segments: pick members by hand (search and add one or several, remove), or import them
 * from a CSV of ids. A viewer's key sees the members only.
 */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../api/hooks';
import type { Segment } from '../api/types';
import { noun, plural } from '../ui/format';
import { OutcomeBanner, reasonOf, type Outcome } from '../ui/Outcome';
import { changeMembers } from './addMembers';
import { ContactPicker } from './ContactPicker';
import { MemberImport } from './MemberImport';
import { MemberList } from './MemberList';
import { useInvalidateSegment } from './queries';

type Change = { add: string[] } | { remove: string[] };

/** "c000042 added.", "3 contacts added, 1 already a member." */
function describeChange(change: Change, done: number): string {
  const [ids, verb, already] = 'add' in change ? [change.add, 'added', 'already a member'] : [change.remove, 'removed', 'not a member'];
  if (ids.length === 1) return done ? `${ids[0]} ${verb}.` : `${ids[0]} was ${already}.`;
  const rest = ids.length - done;
  const restWas = 'add' in change ? noun(rest, 'already a member', 'already members') : noun(rest, 'not a member', 'not members');
  return `${plural(done, 'contact')} ${verb}${rest ? `, ${plural(rest, 'contact')} ${restWas}` : ''}.`;
}

const whoOf = (ids: string[]): string => (ids.length === 1 ? ids[0]! : plural(ids.length, 'contact'));

export function StaticMembersTab({ segment: s }: { segment: Segment }) {
  const invalidate = useInvalidateSegment(s.id);
  const canChange = useCan('editor') === true;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const change = useMutation({
    mutationFn: async (c: Change) => changeMembers(s.id, c),
    onMutate: () => setOutcome(null),
    onSuccess: async (result, c) => {
      setOutcome({ message: describeChange(c, 'add' in c ? result.added : result.removed), failures: [] });
      await invalidate();
    },
    onError: (e, c) =>
      setOutcome({ message: `Could not ${'add' in c ? 'add to' : 'remove from'} “${s.name}”:`, failures: [{ name: whoOf('add' in c ? c.add : c.remove), reason: reasonOf(e) }] }),
  });
  if (!canChange) {
    return (
      <section aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <MemberList segment={s} />
      </section>
    );
  }
  return (
    <div className="static-members">
      <section className="card" aria-labelledby="add-members-title">
        <h2 id="add-members-title">Add members</h2>
        <ContactPicker segmentId={s.id} onAdd={(ids) => change.mutate({ add: ids })} busy={change.isPending} />
      </section>
      <OutcomeBanner outcome={outcome} />
      <section aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <MemberList segment={s} onRemove={(id) => change.mutate({ remove: [id] })} removing={change.isPending && 'remove' in (change.variables ?? {})} />
      </section>
      <section className="card" aria-labelledby="import-members-title">
        <h2 id="import-members-title">Import members from a CSV of ids</h2>
        <MemberImport segment={s} />
      </section>
    </div>
  );
}

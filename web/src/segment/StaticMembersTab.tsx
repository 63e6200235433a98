/** Static segments: pick members by hand (search and add, remove), or import them from a CSV of ids. */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Segment } from '../api/types';
import { ErrorState } from '../ui/states';
import { changeMembers } from './addMembers';
import { ContactPicker } from './ContactPicker';
import { MemberImport } from './MemberImport';
import { MemberList } from './MemberList';
import { useInvalidateSegment } from './queries';

export function StaticMembersTab({ segment: s }: { segment: Segment }) {
  const invalidate = useInvalidateSegment(s.id);
  const [message, setMessage] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: async ({ add, remove }: { add?: string; remove?: string }) => ({
      id: (add ?? remove)!,
      adding: add !== undefined,
      result: await changeMembers(s.id, add !== undefined ? { add: [add] } : { remove: [remove!] }),
    }),
    onMutate: () => setMessage(null),
    onSuccess: async ({ id, adding, result }) => {
      const n = adding ? result.added : result.removed;
      setMessage(adding ? (n ? `${id} added.` : `${id} is already a member.`) : n ? `${id} removed.` : `${id} was not a member.`);
      await invalidate();
    },
  });
  return (
    <div className="static-members">
      <section className="card" aria-labelledby="add-members-title">
        <h2 id="add-members-title">Add members</h2>
        <ContactPicker onAdd={(id) => change.mutate({ add: id })} busy={change.isPending} />
      </section>
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {change.isError && <ErrorState error={change.error} />}
      <section aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <MemberList segment={s} onRemove={(id) => change.mutate({ remove: id })} removing={change.isPending && change.variables?.remove !== undefined} />
      </section>
      <section className="card" aria-labelledby="import-members-title">
        <h2 id="import-members-title">Import members from a CSV of ids</h2>
        <MemberImport segment={s} />
      </section>
    </div>
  );
}

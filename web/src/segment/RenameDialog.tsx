/** Rename a segment in a dialog (static segments, which have no designer to do it in). */
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import type { Segment } from '../api/types';
import { Dialog } from '../ui/Dialog';
import { renameSegment } from './lifecycle';
import { segmentKey } from './queries';

export function RenameDialog({ segment: s, open, onClose, onRenamed }: { segment: Segment; open: boolean; onClose: () => void; onRenamed?: (s: Segment) => void }) {
  const [name, setName] = useState(s.name);
  const inputId = useId();
  const queryClient = useQueryClient();
  const rename = useMutation({
    mutationFn: (newName: string) => renameSegment(s, newName),
    onSuccess: async (renamed) => {
      queryClient.setQueryData(segmentKey(s.id), renamed);
      await queryClient.invalidateQueries({ queryKey: ['segments'] });
      onRenamed?.(renamed);
      onClose();
    },
  });
  const close = () => {
    rename.reset();
    setName(s.name);
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() === '' || name.trim() === s.name) return close();
    rename.mutate(name.trim());
  };
  const error = rename.error;
  const nameIssue = error instanceof ApiError ? error.issues.find((i) => /name/.test(i.path))?.message : undefined;
  return (
    <Dialog open={open} title={`Rename “${s.name}”`} onClose={close}>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={inputId}>New name</label>
          <input id={inputId} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required autoFocus aria-invalid={!!nameIssue || undefined} />
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error instanceof ApiError && error.status === 409
              ? 'This segment changed meanwhile: close this dialog and try again on the current version.'
              : (nameIssue ?? error.message)}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={rename.isPending || name.trim() === ''}>
            {rename.isPending ? 'Renaming…' : 'Rename'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

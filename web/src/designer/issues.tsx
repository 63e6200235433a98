/** The API's validation issues, placed on the designer's fields (see model.placeIssue). */
import { createContext, useContext } from 'react';
import type { PlacedIssue } from './model';

export const IssuesContext = createContext<PlacedIssue[]>([]);

export function useIssues(): PlacedIssue[] {
  return useContext(IssuesContext);
}

/** Messages for one block field ('' = the block as a whole, undefined = every field). */
export function blockMessages(issues: PlacedIssue[], key: string, field?: string | ((f: string) => boolean)): string[] {
  return issues
    .filter((i) => i.target.kind === 'block' && i.target.key === key && (field === undefined || (typeof field === 'function' ? field(i.target.field) : i.target.field === field)))
    .map((i) => i.message);
}

export function fieldMessages(issues: PlacedIssue[], field: string): string[] {
  return issues.filter((i) => i.target.kind === 'field' && i.target.field === field).map((i) => i.message);
}

/** Messages beside a field; `id` lets the field point at them with aria-describedby. */
export function FieldErrors({ id, messages }: { id?: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div id={id} className="field-error" role="alert">
      {messages.map((m) => (
        <div key={m}>{m}</div>
      ))}
    </div>
  );
}

/**
 * A field not filled in yet: said beside it, quietly (not an error: the user is still typing),
 * and the reason the designer shows no estimate meanwhile.
 */
export function IncompleteHint({ what }: { what: string }) {
  return <span className="field-incomplete">Incomplete: {what}</span>;
}

/** A form's failure as the API explained it: each field's issue beside the field, the rest once below. */
import { ApiError, type FieldIssue } from '../api/client';

/** The API reports a body field's issues as `body.<field>` (or deeper). */
const concerns = (issue: FieldIssue, field: string) => issue.path === `body.${field}` || issue.path.startsWith(`body.${field}.`);

const issuesOf = (error: unknown): FieldIssue[] => (error instanceof ApiError ? error.issues : []);

export function fieldIssue(error: unknown, field: string): string | undefined {
  return issuesOf(error).find((i) => concerns(i, field))?.message;
}

/** Props that mark an input invalid and point it at its message. */
export function invalidProps(error: unknown, field: string, messageId: string) {
  return fieldIssue(error, field) ? { 'aria-invalid': true as const, 'aria-describedby': messageId } : {};
}

export function FieldError({ error, field, id }: { error: unknown; field: string; id: string }) {
  const message = fieldIssue(error, field);
  return message ? (
    <p className="field-error" id={id} role="alert">
      {message}
    </p>
  ) : null;
}

/**
 * The failure as a whole (a 403 says which role is needed; a 409 what already exists), leaving out
 * the issues already shown beside the form's `fields`.
 */
export function FormError({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  if (!error) return null;
  const issues = issuesOf(error);
  const elsewhere = issues.filter((i) => !fields.some((f) => concerns(i, f)));
  if (issues.length > 0 && elsewhere.length === 0) return null;
  const message = elsewhere.length > 0 ? elsewhere.map((i) => `${i.path}: ${i.message}`).join('; ') : error instanceof Error ? error.message : String(error);
  return (
    <p className="field-error" role="alert">
      {error instanceof ApiError && error.status === 403 ? 'Not allowed: ' : ''}
      {message}
    </p>
  );
}

/**
 * One error model for every face: a machine-readable code, an optional path to the
 * field at fault (JSON-pointer-like dotted path, or file:line:column for imports) and
 * a human message. Faces render it; nothing in the core throws bare strings.
 */
export type ErrorCode =
  | 'invalid_definition'
  | 'invalid_schema_change'
  | 'invalid_import'
  | 'invalid_argument'
  | 'not_found'
  | 'conflict'
  | 'lifecycle'
  | 'evaluation_failed'
  | 'unauthorized'
  | 'forbidden'
  /** An evaluation ran past its deadline and was stopped; nothing it did remains. */
  | 'timeout'
  /** The database cannot take this work now (out of memory, interrupted, too busy); try again later. */
  | 'unavailable'
  | 'store';

export interface Issue {
  /** Where the problem is, e.g. `query.blocks[2].where.all[0].op` or `contacts.csv:14:score`. */
  path: string;
  message: string;
}

export class SegmataError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly Issue[];

  constructor(code: ErrorCode, message: string, issues: readonly Issue[] = []) {
    super(message);
    this.name = 'SegmataError';
    this.code = code;
    this.issues = issues;
  }

  /** Build an error whose message lists its issues (first few), so a one-line reason is useful. */
  static fromIssues(code: ErrorCode, summary: string, issues: readonly Issue[]): SegmataError {
    const shown = issues.slice(0, 5).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    return new SegmataError(code, `${summary}: ${shown.join('; ')}${more}`, issues);
  }
}

export function isSegmataError(e: unknown): e is SegmataError {
  return e instanceof SegmataError;
}

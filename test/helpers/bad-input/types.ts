/**
 * One bad request of the corpus: what is sent, and what answer the contract demands.
 * Every case must be refused with a 4xx problem+json and leave the database unchanged.
 */
export interface BadCase {
  /** Unique, readable: `POST /contacts: score "5" (a string for a number)`. */
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  /** Under /api/v1, with its query string; path segments already encoded. */
  url: string;
  /** The key to send: a role's valid key (default admin), an unknown one, or none. */
  role?: 'viewer' | 'editor' | 'admin' | 'unknown-key' | 'none';
  headers?: Record<string, string>;
  /**
   * Send `If-Match` with this segment's current version (read just before): the edit is refused
   * for its body, and a bad edit wrongly accepted does not make the next ones stale.
   */
  ifMatch?: string;
  /** The body, serialised by `serialise` (JSON with raw number tokens), or sent as text when a string is given in `raw`. */
  json?: unknown;
  raw?: string;
  /** The statuses the contract allows for this request (each 4xx). */
  expect: readonly number[];
  /** A field path the problem must name (in `errors[].path` or `detail`), e.g. `body[0].score`. */
  path?: string;
  /** Send over a real socket (size limits enforced by Node's HTTP parser, not by inject). */
  socket?: boolean;
}

/** Statuses: validation of the request's own content. */
export const BAD = [400] as const;
/** A definition or record the engine refuses on meaning (unknown attribute, type mismatch): 400, or 422 for "cannot be evaluated". */
export const REFUSED = [400, 422] as const;
/** Too big: refused by a bound (400) or by the body limit (413). */
export const TOO_BIG = [400, 413] as const;
/** Not a body this route reads: 415, or 400 when the body parses as text and fails the schema. */
export const MEDIA = [400, 415] as const;
export const NOT_FOUND = [404] as const;

/**
 * A number written as raw JSON text: `1e309` or `9007199254740993` cannot be built as a
 * JavaScript value (they parse to Infinity or a rounded integer), so the body carries a token
 * that `serialise` replaces with the text itself.
 */
export function rawNumber(text: string): string {
  return `${RAW_OPEN}${text}${RAW_CLOSE}`;
}
const RAW_OPEN = '\u0002raw:';
const RAW_CLOSE = '\u0003';
const RAW_TOKEN = /"\\u0002raw:([^"\\]*)\\u0003"/g;

/** A case's body as sent: its raw text, or its JSON with raw number tokens replaced by their text. */
export function serialise(c: Pick<BadCase, 'json' | 'raw'>): string | undefined {
  if (c.raw !== undefined) return c.raw;
  if (c.json === undefined) return undefined;
  return JSON.stringify(c.json).replace(RAW_TOKEN, (_m, text: string) => text);
}

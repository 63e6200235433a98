/**
 * The UI's only way to the server: the public /api/v1 API, with the key the user gave.
 * Failures are thrown as ApiError with the problem+json the API answered (status, detail and
 * the fields at fault), so screens can show a message beside the field it concerns.
 */

const KEY_STORAGE = 'segmata.apiKey';
export const API_BASE = 'api/v1';

export interface FieldIssue {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldIssue[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
  get status(): number {
    return this.problem.status;
  }
  get issues(): FieldIssue[] {
    return this.problem.errors ?? [];
  }
}

export function storedKey(): string | null {
  return localStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
  keyListeners.forEach((l) => l(key));
}

const keyListeners = new Set<(key: string | null) => void>();
export function onKeyChange(listener: (key: string | null) => void): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Call with this key instead of the stored one (trying a key before storing it). */
  key?: string;
}

/** The raw response of a call (for ETags and downloads); throws ApiError unless 2xx. */
export async function apiResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key ?? storedKey();
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ type: 'network', title: 'Network error', status: 0, detail: 'the server cannot be reached; is `segmata serve` running?' });
  }
  if (res.ok) return res;
  let problem: Problem;
  try {
    problem = (await res.json()) as Problem;
  } catch {
    problem = { type: 'http', title: res.statusText, status: res.status, detail: `${res.status} ${res.statusText}` };
  }
  // The stored key was refused (revoked): whoever shows the UI asks for another.
  if (res.status === 401 && options.key === undefined) keyListeners.forEach((l) => l(null));
  throw new ApiError(problem);
}

/** A JSON call; `undefined` for 204. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await apiResponse(path, options);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Download an authorised resource (a CSV export) as a file. */
export async function download(path: string, filename: string, query?: Query): Promise<void> {
  const res = await apiResponse(path, query ? { query } : {});
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

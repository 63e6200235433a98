import { createHash, randomBytes } from 'node:crypto';
import { SegmataError } from '../../errors.js';
import type { SqlRunner, Store } from '../../store/store.js';
import { ONE_LINE_PATTERN } from '../../definition/json-schema.js';

const ONE_LINE = new RegExp(ONE_LINE_PATTERN);

/** What a key may do: viewer reads; editor also changes data and segments; admin also keys, webhooks and schema. */
export type Role = 'viewer' | 'editor' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];

/** Does `held` include everything `needed` may do? */
export function roleCovers(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

export interface ApiKey {
  id: string;
  /** The key's first characters: names it in listings without revealing it. */
  prefix: string;
  role: Role;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const KEY_PREFIX = 'sgm_';

const hashOf = (key: string): string => createHash('sha256').update(key).digest('hex');

export function parseRole(value: string): Role {
  if ((ROLES as readonly string[]).includes(value)) return value as Role;
  throw new SegmataError('invalid_argument', `role: expected one of ${ROLES.join(', ')}, got "${value}"`, [{ path: 'role', message: `unknown role "${value}"` }]);
}

/** A new key; its secret is in the result only (stored hashed), to be shown once. */
export async function createKey(store: Store, role: Role, name: string, now: Date): Promise<ApiKey & { key: string }> {
  // The API's schema refuses these too; the check here holds the CLI on a database file to the same rule.
  if (name.length === 0 || name.length > 100 || !ONE_LINE.test(name)) {
    throw new SegmataError('invalid_argument', 'name: a key name is 1-100 characters on one line (no line breaks, tabs or escapes)', [
      { path: 'name', message: 'must be 1-100 characters without control characters' },
    ]);
  }
  const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const id = `key_${randomBytes(6).toString('hex')}`;
  const prefix = key.slice(0, KEY_PREFIX.length + 6);
  await store.run('INSERT INTO api_keys VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMPTZ), NULL)', [id, prefix, hashOf(key), role, name, now.toISOString()]);
  return { id, prefix, role, name, createdAt: now, revokedAt: null, key };
}

interface KeyRow {
  id: string;
  prefix: string;
  role: Role;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
  [k: string]: unknown;
}

const fromRow = (r: KeyRow): ApiKey => ({ id: r.id, prefix: r.prefix, role: r.role, name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at });

export async function listKeys(store: Store): Promise<ApiKey[]> {
  return (await store.all<KeyRow>('SELECT id, prefix, role, name, created_at, revoked_at FROM api_keys ORDER BY created_at, id')).map(fromRow);
}

/** The active key a presented secret is, if any. */
export async function findKey(store: SqlRunner, presented: string): Promise<ApiKey | undefined> {
  if (!presented.startsWith(KEY_PREFIX)) return undefined;
  const [row] = await store.all<KeyRow>('SELECT id, prefix, role, name, created_at, revoked_at FROM api_keys WHERE hash = $1 AND revoked_at IS NULL', [hashOf(presented)]);
  return row ? fromRow(row) : undefined;
}

export async function revokeKey(store: Store, id: string, now: Date): Promise<ApiKey> {
  const [row] = await store.all<KeyRow>(
    'UPDATE api_keys SET revoked_at = coalesce(revoked_at, CAST($2 AS TIMESTAMPTZ)) WHERE id = $1 RETURNING id, prefix, role, name, created_at, revoked_at',
    [id, now.toISOString()],
  );
  if (!row) throw new SegmataError('not_found', `API key "${id}" does not exist`);
  return fromRow(row);
}

export async function activeKeyCount(store: Store): Promise<number> {
  const [row] = await store.all<{ n: number }>('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL');
  return row?.n ?? 0;
}

import { randomBytes } from 'node:crypto';
import { SegmataError } from '../../errors.js';
import type { SqlRunner, Store } from '../../store/store.js';
import type { Delivery, Webhook } from './types.js';
import { checkDestination } from './destination.js';

interface WebhookRow {
  id: string;
  segment_id: string;
  url: string;
  created_at: Date;
  delivered_seq: number;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  [k: string]: unknown;
}

const COLUMNS = 'id, segment_id, url, created_at, delivered_seq, attempts, next_attempt_at, last_error';

const fromRow = (r: WebhookRow): Webhook => ({
  id: r.id,
  segmentId: r.segment_id,
  url: r.url,
  createdAt: r.created_at,
  deliveredSeq: Number(r.delivered_seq),
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
});

/** Only http(s) URLs: a receiver is an HTTP endpoint. */
export function checkWebhookUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SegmataError('invalid_argument', `url: "${url}" is not a URL`, [{ path: 'url', message: 'not a URL' }]);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SegmataError('invalid_argument', `url: expected an http or https URL, got "${parsed.protocol}"`, [{ path: 'url', message: 'not http(s)' }]);
  }
  return parsed;
}

export interface CreateWebhookOptions {
  /** Accept loopback, private and other non-public destinations (see destination.ts). */
  allowPrivate: boolean;
}

/**
 * A new webhook delivers the changes recorded from now on; its secret is in the result only.
 * Its URL must be http(s) and, unless allowed otherwise, resolve to public addresses only.
 */
export async function createWebhook(store: Store, segmentId: string, url: string, now: Date, options: CreateWebhookOptions): Promise<Webhook & { secret: string }> {
  const parsed = checkWebhookUrl(url);
  if (!options.allowPrivate) await checkDestination(parsed, 'url');
  const id = `wh_${randomBytes(6).toString('hex')}`;
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  await store.run(
    `INSERT INTO webhooks (id, segment_id, url, secret, created_at, delivered_seq)
     SELECT $1, $2, $3, $4, CAST($5 AS TIMESTAMPTZ), coalesce(max(seq), 0) FROM membership_changes`,
    [id, segmentId, url, secret, now.toISOString()],
  );
  return { ...(await getWebhook(store, id)), secret };
}

export async function getWebhook(store: Store, id: string): Promise<Webhook> {
  const [row] = await store.all<WebhookRow>(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1`, [id]);
  if (!row) throw new SegmataError('not_found', `webhook "${id}" does not exist`);
  return fromRow(row);
}

export async function listWebhooks(store: Store, segmentId?: string): Promise<Webhook[]> {
  const rows = await store.all<WebhookRow>(`SELECT ${COLUMNS} FROM webhooks WHERE CAST($1 AS VARCHAR) IS NULL OR segment_id = CAST($1 AS VARCHAR) ORDER BY created_at, id`, [segmentId ?? null]);
  return rows.map(fromRow);
}

export async function deleteWebhook(store: Store, id: string): Promise<void> {
  await getWebhook(store, id);
  await store.transaction(async (tx) => {
    await tx.run('DELETE FROM webhook_deliveries WHERE webhook_id = $1', [id]);
    await tx.run('DELETE FROM webhooks WHERE id = $1', [id]);
  });
}

/** The signing secret (never shown after creation; the dispatcher signs with it). */
export async function webhookSecret(store: SqlRunner, id: string): Promise<string> {
  const [row] = await store.all<{ secret: string }>('SELECT secret FROM webhooks WHERE id = $1', [id]);
  if (!row) throw new SegmataError('not_found', `webhook "${id}" does not exist`);
  return row.secret;
}

export async function listDeliveries(store: Store, webhookId: string, limit: number): Promise<Delivery[]> {
  const rows = await store.all<{
    seq: number;
    webhook_id: string;
    attempted_at: Date;
    first_seq: number;
    last_seq: number;
    changes: number;
    attempt: number;
    status_code: number | null;
    error: string | null;
    duration_ms: number;
    delivered: boolean;
  }>(`SELECT * FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY seq DESC LIMIT ${Math.floor(limit)}`, [webhookId]);
  return rows.map((r) => ({
    seq: r.seq,
    webhookId: r.webhook_id,
    attemptedAt: r.attempted_at,
    firstSeq: Number(r.first_seq),
    lastSeq: Number(r.last_seq),
    changes: r.changes,
    attempt: r.attempt,
    statusCode: r.status_code,
    error: r.error,
    durationMs: r.duration_ms,
    delivered: r.delivered,
  }));
}

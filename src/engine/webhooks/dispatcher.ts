import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Sleeper } from '../sleeper.js';
import type { SqlRunner, Store } from '../../store/store.js';
import { changesSince } from '../segments/members.js';
import { webhookSecret } from './store.js';
import { guardedLookup, refuseLiteral } from './destination.js';

export interface DispatcherOptions {
  /** The first retry waits this long; each next one twice as long (default 1 s). */
  retryBaseMs?: number;
  /** The longest wait between retries (default 1 h). */
  retryMaxMs?: number;
  /** Changes per delivery (default 500). */
  batch?: number;
  /** A receiver that has not answered by then has failed (default 10 s). */
  timeoutMs?: number;
  /** Wall-clock milliseconds (retries follow real time, whatever the evaluation clock says). */
  now?: () => number;
  /**
   * Deliver to loopback, private and other non-public addresses too (a receiver on this
   * machine or network: tests, local journeys). Off by default: see destination.ts.
   */
  allowPrivate?: boolean;
  onError?: (e: unknown) => void;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the secret. */
export function signature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

const TICK_MS = 1_000;

/**
 * Delivers each webhook's segment changes to its URL, in order, at least once: a delivery is
 * a batch of changes after the webhook's cursor; a 2xx answer moves the cursor past it,
 * anything else retries the same batch with exponential backoff. Cursor and retry state are
 * stored, and the change log is the queue, so nothing is lost across a restart.
 */
export class WebhookDispatcher {
  private stopping = false;
  private readonly sleeper = new Sleeper();
  private done: Promise<void> | undefined;
  private readonly base: number;
  private readonly max: number;
  private readonly batch: number;
  private readonly timeout: number;
  private readonly now: () => number;
  /** Its reads (due webhooks, their changes and secrets) go to the read connections: polled every second, they would otherwise queue with the writers. */
  private readonly reads: SqlRunner;

  constructor(
    private readonly store: Store,
    private readonly options: DispatcherOptions = {},
  ) {
    this.base = options.retryBaseMs ?? 1_000;
    this.max = options.retryMaxMs ?? 3_600_000;
    this.batch = options.batch ?? 500;
    this.timeout = options.timeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.reads = store.reader();
  }

  start(): void {
    this.done ??= this.loop();
  }

  /** New changes were recorded: deliver without waiting for the next tick. */
  wake(): void {
    this.sleeper.wake();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wake();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        while (!this.stopping && (await this.deliverDue()) > 0);
      } catch (e) {
        this.options.onError?.(e);
      }
      if (this.stopping) break;
      // Sleep until the next retry falls due, at most a tick (new changes wake it sooner).
      const [next] = await this.reads.all<{ at: Date | null }>('SELECT min(next_attempt_at) AS at FROM webhooks').catch(() => [{ at: null }]);
      const wait = next?.at ? Math.max(0, Math.min(TICK_MS, next.at.getTime() - this.now())) : TICK_MS;
      await this.sleeper.sleep(wait);
    }
  }

  /** One attempt for every webhook that has undelivered changes and is not waiting to retry; how many were delivered. */
  async deliverDue(): Promise<number> {
    const due = await this.reads.all<{ id: string; segment_id: string; url: string; delivered_seq: number; attempts: number }>(
      `SELECT w.id, w.segment_id, w.url, w.delivered_seq, w.attempts FROM webhooks AS w
       WHERE (w.next_attempt_at IS NULL OR w.next_attempt_at <= CAST($1 AS TIMESTAMPTZ))
         AND EXISTS (SELECT 1 FROM membership_changes AS c WHERE c.segment_id = w.segment_id AND c.seq > w.delivered_seq)
       ORDER BY w.id`,
      [new Date(this.now()).toISOString()],
    );
    let delivered = 0;
    for (const w of due) {
      if (this.stopping) break;
      if (await this.attempt(w.id, w.segment_id, w.url, Number(w.delivered_seq), w.attempts)) delivered++;
    }
    return delivered;
  }

  private async attempt(id: string, segmentId: string, url: string, after: number, attempts: number): Promise<boolean> {
    const changes = await changesSince(this.reads, segmentId, undefined, after, this.batch);
    if (changes.length === 0) return false;
    const first = changes[0]!.seq;
    const last = changes[changes.length - 1]!.seq;
    const deliveryId = `${id}:${first}-${last}`;
    const body = JSON.stringify({
      webhook: id,
      segment: segmentId,
      deliveryId,
      changes: changes.map((c) => ({ seq: c.seq, idempotencyKey: `${id}:${c.seq}`, contactId: c.contact_id, change: c.change, at: c.changed_at.toISOString(), cause: c.cause })),
    });
    const secret = await webhookSecret(this.reads, id);
    const started = this.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await this.post(url, body, {
        'content-type': 'application/json',
        'user-agent': 'segmata-webhooks/1',
        'idempotency-key': deliveryId,
        'segmata-signature': signature(secret, body, Math.floor(started / 1000)),
      });
      if (status < 200 || status >= 300) error = `the receiver answered ${status}`;
    } catch (e) {
      error = e instanceof Error ? (e.name === 'TimeoutError' ? `no answer within ${this.timeout} ms` : e.message) : String(e);
    }
    const ok = error === null;
    const attempt = attempts + 1;
    const duration = this.now() - started;
    const retryAt = ok ? null : new Date(this.now() + Math.min(this.max, this.base * 2 ** (attempt - 1))).toISOString();
    await this.store.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO webhook_deliveries (webhook_id, attempted_at, first_seq, last_seq, changes, attempt, status_code, error, duration_ms, delivered)
         VALUES ($1, CAST($2 AS TIMESTAMPTZ), $3, $4, $5, $6, $7, $8, $9, $10)`,
        [id, new Date(started).toISOString(), first, last, changes.length, attempt, status, error, duration, ok],
      );
      if (ok) await tx.run('UPDATE webhooks SET delivered_seq = $2, attempts = 0, next_attempt_at = NULL, last_error = NULL WHERE id = $1', [id, last]);
      else await tx.run('UPDATE webhooks SET attempts = $2, next_attempt_at = CAST($3 AS TIMESTAMPTZ), last_error = $4 WHERE id = $1', [id, attempt, retryAt, error]);
    });
    return ok;
  }

  /**
   * POST the body and answer the status: over node:http(s) rather than fetch, because its
   * `lookup` lets the connection go to the very address that was checked (see destination.ts).
   * Redirects are not followed (a 3xx is a failure), the answer's body is not read.
   */
  private post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const target = new URL(url);
    const guarded = !this.options.allowPrivate;
    if (guarded) refuseLiteral(target);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const signal = AbortSignal.timeout(this.timeout);
    return new Promise<number>((resolve, reject) => {
      const req = send(target, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, signal, agent: false, ...(guarded ? { lookup: guardedLookup } : {}) }, (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      });
      req.on('error', (e) => reject(signal.aborted && signal.reason instanceof Error ? signal.reason : e));
      req.end(body);
    });
  }
}

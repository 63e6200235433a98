import type { JsonShape } from '../json-shape.js';

export interface Webhook {
  id: string;
  segmentId: string;
  url: string;
  createdAt: Date;
  /** The last change (log seq) the receiver acknowledged. */
  deliveredSeq: number;
  /** Failed attempts at the pending delivery (0 when none is failing). */
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
}

export interface Delivery {
  seq: number;
  webhookId: string;
  attemptedAt: Date;
  firstSeq: number;
  lastSeq: number;
  changes: number;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  delivered: boolean;
}

/** A webhook as the API answers it (never with its secret). */
export type WebhookJson = JsonShape<Webhook>;
/** A delivery attempt as the API answers it. */
export type DeliveryJson = JsonShape<Omit<Delivery, 'seq' | 'webhookId'>>;

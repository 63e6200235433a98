import { ACCESS_KEYWORD, type Access } from './auth.js';

/**
 * The JSON schemas of the API. Each route's schema validates its requests and responses and
 * is its entry in the OpenAPI document: one source for both.
 */

export const problemSchema = {
  $id: 'problem',
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
} as const;

const nullable = (type: string): { type: string[] } => ({ type: [type, 'null'] });

export const segmentSchema = {
  $id: 'segment',
  type: 'object',
  required: ['id', 'name', 'type', 'status', 'version', 'memberCount', 'createdAt', 'updatedAt', 'definition'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    description: nullable('string'),
    type: { enum: ['dynamic', 'static', 'compound'] },
    status: { enum: ['draft', 'live', 'stopped', 'error'] },
    version: { type: 'integer' },
    error: nullable('string'),
    memberCount: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    evaluatedAt: nullable('string'),
    definition: { $ref: 'segment-definition#' },
  },
} as const;

/** A stored record: `id` and its attributes, which the schema registry defines (and may grow). */
export const recordSchema = {
  $id: 'record',
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' } },
  additionalProperties: true,
} as const;

export const sharedSchemas = [problemSchema, segmentSchema, recordSchema];

/** Every route answers these with a problem. */
const problems = {
  '4xx': { $ref: 'problem#' },
  '5xx': { $ref: 'problem#' },
};

export interface OperationSchema {
  [ACCESS_KEYWORD]: Access;
  summary: string;
  tags: string[];
  security?: Record<string, string[]>[];
  body?: unknown;
  querystring?: unknown;
  params?: unknown;
  headers?: unknown;
  response: Record<string, unknown>;
  [extra: string]: unknown;
}

/** A route's schema: who may call it, what it is, and its parts; problem responses added. */
export function op(access: Access, tag: string, summary: string, parts: Omit<OperationSchema, typeof ACCESS_KEYWORD | 'summary' | 'tags' | 'response'> & { response?: Record<string, unknown> }): OperationSchema {
  return {
    [ACCESS_KEYWORD]: access,
    summary,
    tags: [tag],
    ...(access === 'public' ? { security: [] } : {}),
    ...parts,
    response: { ...(parts.response ?? {}), ...problems },
  };
}

export const idParams = (...names: string[]) => ({
  type: 'object',
  required: names,
  additionalProperties: false,
  properties: Object.fromEntries(names.map((n) => [n, { type: 'string', minLength: 1, maxLength: 256 }])),
});

/** Page size: `limit` up to 1,000 (100 unless given). */
export const limitParam = { type: 'integer', minimum: 1, maximum: 1000, default: 100 } as const;

/** An opaque page cursor, as returned in `next`. */
export const cursorParam = { type: 'string', minLength: 1, maxLength: 512 } as const;

export const pageOf = (items: unknown) => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items }, next: { type: 'string', description: 'cursor of the next page; absent on the last' } },
});

/** A page that may also say how many items there are in all (optional: older clients ignore it). */
export const withTotal = (page: ReturnType<typeof pageOf>, description: string) => ({
  ...page,
  properties: { ...page.properties, total: { type: 'integer', minimum: 0, description } },
});

/** ImportReport.unknownReferences: written rows whose reference names no stored record, per referring column. */
export const unknownReferencesSchema = {
  type: 'object',
  description:
    'per referring column (contact_id of interactions and leads, account_id of contacts and leads), how many written records name a record that is not stored; they are kept (references may dangle), e.g. { "contact_id": 12 }',
  additionalProperties: { type: 'integer', minimum: 0 },
} as const;

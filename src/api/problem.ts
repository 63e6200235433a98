import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { issuesFromAjv } from '../definition/parse.js';
import { isSegmataError, type ErrorCode, type Issue } from '../errors.js';

/** RFC 9457 problem details, with the fields at fault in `errors`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: Issue[];
}

const TYPE_BASE = 'https://segmata.dev/problems/';

const STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_definition: 400,
  invalid_schema_change: 400,
  invalid_import: 400,
  invalid_argument: 400,
  not_found: 404,
  conflict: 409,
  lifecycle: 409,
  evaluation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  // Past its deadline, or the database could not take it now: the request may succeed later.
  timeout: 503,
  unavailable: 503,
  // The database failed outside an evaluation (whose failures api/evaluation.ts words as the
  // definition's or as 503): a fault of the server, logged, its message not shown.
  store: 500,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(status: number, kind: string, detail: string, errors?: Issue[]): Problem {
  return { type: `${TYPE_BASE}${kind}`, title: TITLES[status] ?? 'Error', status, detail, ...(errors && errors.length ? { errors } : {}) };
}

/** An error a route throws on purpose, rendered as its problem. */
export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

export const httpProblem = (status: number, kind: string, detail: string, errors?: Issue[]): HttpProblem => new HttpProblem(problem(status, kind, detail, errors));

/**
 * Seconds to wait before trying again (Retry-After) by status: 429 for a client's own excess
 * (its queue of evaluations, failed sign-ins: the limiter may set a longer one), 503 for the
 * server's (an evaluation past its deadline, a database out of memory).
 */
const RETRY_AFTER: Readonly<Record<number, number>> = { 429: 1, 503: 5 };

export function sendProblem(reply: FastifyReply, p: Problem, request?: FastifyRequest): FastifyReply {
  const retry = RETRY_AFTER[p.status];
  if (retry !== undefined && !reply.hasHeader('retry-after')) reply.header('retry-after', String(retry));
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({ ...p, ...(request ? { instance: request.url } : {}) });
}

/** `body.`/`querystring.` prefixes on validation paths: the part of the request at fault. */
const PART: Readonly<Record<string, string>> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** Every failure as problem+json: validation with the field paths, the engine's errors by code, the rest as 500. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof HttpProblem) return error.problem;
  if (isSegmataError(error)) {
    const status = STATUS[error.code];
    if (status === 500) return problem(500, 'internal', 'the request could not be completed; see the server log');
    return problem(status, error.code.replaceAll('_', '-'), error.message, [...error.issues]);
  }
  const e = error as FastifyError & { validation?: ErrorObject[]; validationContext?: string };
  if (e.validation) {
    const part = e.validationContext ?? 'body';
    const root = part === 'body' ? request.body : part === 'querystring' ? request.query : part === 'params' ? request.params : request.headers;
    const prefix = PART[part] ?? part;
    const issues = issuesFromAjv(e.validation, root).map((i) => ({ path: i.path ? `${prefix}${i.path.startsWith("[") ? "" : "."}${i.path}` : prefix, message: i.message }));
    const detail = issues.length ? issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ') : `invalid ${prefix}`;
    return problem(400, 'validation', `invalid request: ${detail}`, issues);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'payload-too-large', `the request body is larger than the limit of ${String((request.routeOptions.bodyLimit ?? 0) / 1048576)} MiB`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'unsupported-media-type', `send the body as application/json (got ${request.headers['content-type'] ?? 'none'})`);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'malformed-json', `the body is not valid JSON: ${e.message}`);
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return problem(e.statusCode, 'bad-request', e.message);
  return problem(500, 'internal', 'the request could not be completed; see the server log');
}

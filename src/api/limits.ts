import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance } from 'fastify';
import { problem, sendProblem, type Problem } from './problem.js';

/**
 * The request-size limits below the body's (413, in problem.ts): the URL (414) and the header
 * fields (431). Node's HTTP parser enforces the header size before Fastify sees a request, so
 * its refusals are written to the socket here, as problem+json like every other answer.
 */

/** Longest URL, path and query, in bytes: 8 KiB, as most proxies and browsers allow. */
export const MAX_URL_LENGTH = 8 * 1024;

/** Largest request head (request line and header fields): Node's default, 16 KiB. */
export const MAX_HEADER_SIZE = 16 * 1024;

/**
 * A path parameter the router still matches: as long as a URL may be, so that an over-long id
 * reaches its route's schema (a 400 naming the field) instead of the router's silent 404.
 */
export const MAX_PARAM_LENGTH = MAX_URL_LENGTH;

/** A URL longer than MAX_URL_LENGTH is refused with 414 before anything else looks at it. */
export function refuseLongUrls(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length <= MAX_URL_LENGTH) return undefined;
    // The URL is not echoed back: it is what was too long.
    return sendProblem(reply, problem(414, 'uri-too-long', `the URL is ${request.url.length} bytes long; the limit is ${MAX_URL_LENGTH}`));
  });
}

/** The bytes the parser had read (a Buffer, whatever Fastify's types say). */
function packetText(raw: unknown): string {
  if (Buffer.isBuffer(raw)) return raw.toString('latin1');
  const data = (raw as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) ? Buffer.from(data as number[]).toString('latin1') : '';
}

/** The problem for an error of Node's HTTP parser (the `clientError` event). */
export function clientErrorProblem(err: Pick<ConnectionError, 'code'> & { rawPacket?: unknown }): Problem {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    // Node counts the request line as part of the head: a head whose first line is not even
    // complete within the limit is a URL too long, not too many header fields.
    const head = packetText(err.rawPacket);
    const lineEnd = head.indexOf('\r\n');
    if (lineEnd < 0 || lineEnd > MAX_URL_LENGTH) return problem(414, 'uri-too-long', `the URL is longer than the limit of ${MAX_URL_LENGTH} bytes`);
    return problem(431, 'header-fields-too-large', `the request's header fields are larger than the limit of ${MAX_HEADER_SIZE / 1024} KiB in all`);
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return problem(408, 'request-timeout', 'the request did not arrive in time');
  return problem(400, 'malformed-request', `the request is not valid HTTP (${err.code ?? 'parse error'})`);
}

/**
 * Fastify's `clientErrorHandler`: the parser's refusal as a complete HTTP answer with a
 * problem+json body, then the connection closes (the parser cannot go on after an error).
 */
export function clientErrorHandler(err: ConnectionError, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const p = clientErrorProblem(err);
    const body = JSON.stringify(p);
    socket.write(
      `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status] ?? 'Error'}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(err);
}

import type { FastifyRequest } from 'fastify';

/**
 * Request logs never hold a secret: API keys travel in the Authorization header only, but a
 * client may still put one in a URL by mistake (`?key=…`, `?token=…`, an old sign-in link), and
 * a log is read by more people than the keys are given to.
 */

/** Query parameters whose value is a secret wherever they appear. */
const SECRET_PARAMS = /^(key|token|api[_-]?key|access[_-]?token|secret)$/i;

/** Headers that carry credentials, censored should any log line include the headers. */
const SECRET_HEADERS = ['authorization', 'cookie', 'x-api-key'];

export const REDACTED = '[redacted]';

/**
 * The URL with the value of each secret query parameter replaced by `[redacted]`; the rest is
 * left exactly as sent (not re-encoded), so a log still shows what was asked.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replaceAll('+', ' '));
      } catch {
        // A malformed escape: judge the name as sent.
      }
      return SECRET_PARAMS.test(name.trim()) ? `${rawName}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, q + 1)}${redacted}${hash < 0 ? '' : url.slice(hash)}`;
}

/** What a request line says about the request: Fastify's default fields, with the URL redacted. */
function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * pino options for the server's log, from what the caller asked (true: defaults): the request
 * serializer above (which logs no headers at all), and pino's redaction of credential headers
 * as a second line of defence, should a line ever log a request's headers.
 */
export function loggerOptions(logger: boolean | Record<string, unknown> | undefined): false | Record<string, unknown> {
  if (!logger) return false;
  const base = logger === true ? {} : logger;
  const serializers = (base.serializers as Record<string, unknown> | undefined) ?? {};
  return {
    ...base,
    serializers: { ...serializers, req: serializeRequest },
    redact: { paths: SECRET_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `headers["${h}"]`]), censor: REDACTED },
  };
}

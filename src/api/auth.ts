import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { findKey, roleCovers, type ApiKey, type Role } from '../engine/access/keys.js';
import type { Store } from '../store/store.js';
import { problem, sendProblem } from './problem.js';

/** Who may call a route: a role, or anyone (`public`: health and the docs only). */
export type Access = Role | 'public';

/** The route schema keyword carrying its access; the OpenAPI document shows it too. */
export const ACCESS_KEYWORD = 'x-segmata-role';

declare module 'fastify' {
  interface FastifyRequest {
    /** The key the request was made with (absent on public routes called without one). */
    apiKey?: ApiKey;
  }
}

/**
 * Keys by their presented secret, remembered for the server's life: a request costs no
 * database round trip. Creating or revoking a key through the server clears it.
 */
export class KeyCache {
  private readonly known = new Map<string, ApiKey | null>();
  constructor(private readonly store: Store) {}

  async find(secret: string): Promise<ApiKey | undefined> {
    let key = this.known.get(secret);
    if (key === undefined) {
      // On a read connection: a key's first request does not queue behind the writers (an import).
      key = (await findKey(this.store.reader(), secret)) ?? null;
      // Unknown secrets are not remembered: a flood of random ones must not grow the map.
      if (key) this.known.set(secret, key);
    }
    return key ?? undefined;
  }

  /** Is `secret` a key already found (no database read needed to accept it)? */
  knows(secret: string): boolean {
    return this.known.get(secret) != null;
  }

  clear(): void {
    this.known.clear();
  }
}

/** Failed sign-ins an address may make per minute by default before it is told to wait. */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;

/**
 * Counts failed sign-ins (a wrong, revoked or malformed key; a request without any is not an
 * attempt) per client address, with @fastify/rate-limit's store: `fail` counts one and says
 * whether the address is now over its limit; `blocked` says whether it is, without counting.
 */
export interface AuthFailures {
  fail(request: FastifyRequest): Promise<{ over: boolean; retryAfter: number }>;
  blocked(request: FastifyRequest): Promise<{ over: boolean; retryAfter: number }>;
}

export async function authFailureLimiter(app: FastifyInstance, perMinute: number): Promise<AuthFailures> {
  // Not global: it limits nothing by itself; the authentication hook asks it about failures only.
  if (!app.hasDecorator('createRateLimit')) await app.register(rateLimit, { global: false });
  const limiter = app.createRateLimit({ max: perMinute, timeWindow: 60_000 });
  const verdict = (r: Awaited<ReturnType<typeof limiter>>, over: (remaining: number, exceeded: boolean) => boolean) =>
    r.isAllowed ? { over: false, retryAfter: 0 } : { over: over(r.remaining, r.isExceeded), retryAfter: Math.max(1, r.ttlInSeconds) };
  return {
    fail: async (request) => verdict(await limiter(request), (_, exceeded) => exceeded),
    blocked: async (request) => verdict(await limiter(request, { increment: false }), (remaining) => remaining === 0),
  };
}

export function accessOf(request: FastifyRequest): Access | undefined {
  const schema = request.routeOptions.schema as Record<string, unknown> | undefined;
  return schema?.[ACCESS_KEYWORD] as Access | undefined;
}

/**
 * The onRequest check: a route without a declared access is refused (so a new route cannot
 * be open by mistake); otherwise a `Bearer` key whose role covers the route's.
 */
export function authenticate(keys: KeyCache, failures: AuthFailures) {
  const tooMany = (request: FastifyRequest, reply: FastifyReply, retryAfter: number): FastifyReply => {
    reply.header('retry-after', String(retryAfter));
    return sendProblem(reply, problem(429, 'too-many-failed-sign-ins', `too many requests with a wrong API key from this address; try again in ${retryAfter} s`), request);
  };
  /** A failed attempt: counted, and answered 401, or 429 once the address is over its limit. */
  const refuse = async (request: FastifyRequest, reply: FastifyReply, authenticate: string, detail: string): Promise<FastifyReply> => {
    const { over, retryAfter } = await failures.fail(request);
    if (over) return tooMany(request, reply, retryAfter);
    reply.header('www-authenticate', authenticate);
    return sendProblem(reply, problem(401, 'unauthorized', detail), request);
  };
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    // Unknown URLs: the 404 handler answers (with no hint of what exists without a key).
    if (!request.routeOptions.url) return undefined;
    const access = accessOf(request);
    if (access === 'public') return undefined;
    const header = request.headers.authorization;
    if (!header) {
      // Not an attempt at a key (a browser before sign-in): answered, not counted.
      reply.header('www-authenticate', 'Bearer realm="segmata"');
      return sendProblem(reply, problem(401, 'unauthorized', 'an API key is required: send "Authorization: Bearer KEY"'), request);
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return refuse(request, reply, 'Bearer realm="segmata"', 'the Authorization header must be "Bearer KEY"');
    const secret = match[1]!;
    // An address over its limit gets no more guesses looked up until its minute is over; a key
    // already known to be valid is still served (guessing one costs 2^128 tries, not a minute's).
    if (!keys.knows(secret)) {
      const { over, retryAfter } = await failures.blocked(request);
      if (over) return tooMany(request, reply, retryAfter);
    }
    const key = await keys.find(secret);
    if (!key) return refuse(request, reply, 'Bearer realm="segmata", error="invalid_token"', 'the API key is not valid (unknown or revoked)');
    request.apiKey = key;
    if (!access || !roleCovers(key.role, access)) {
      return sendProblem(reply, problem(403, 'forbidden', `this needs the ${access ?? 'admin'} role; the key "${key.name}" has the ${key.role} role`), request);
    }
    return undefined;
  };
}

/** The audit log's actor of a request. */
export function actorOf(request: FastifyRequest): string {
  return request.apiKey ? `${request.apiKey.id} (${request.apiKey.name})` : 'anonymous';
}

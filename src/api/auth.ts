import type { FastifyReply, FastifyRequest } from 'fastify';
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
      key = (await findKey(this.store, secret)) ?? null;
      // Unknown secrets are not remembered: a flood of random ones must not grow the map.
      if (key) this.known.set(secret, key);
    }
    return key ?? undefined;
  }

  clear(): void {
    this.known.clear();
  }
}

export function accessOf(request: FastifyRequest): Access | undefined {
  const schema = request.routeOptions.schema as Record<string, unknown> | undefined;
  return schema?.[ACCESS_KEYWORD] as Access | undefined;
}

/**
 * The onRequest check: a route without a declared access is refused (so a new route cannot
 * be open by mistake); otherwise a `Bearer` key whose role covers the route's.
 */
export function authenticate(keys: KeyCache) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    // Unknown URLs: the 404 handler answers (with no hint of what exists without a key).
    if (!request.routeOptions.url) return undefined;
    const access = accessOf(request);
    if (access === 'public') return undefined;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      reply.header('www-authenticate', 'Bearer realm="segmata"');
      return sendProblem(reply, problem(401, 'unauthorized', header ? 'the Authorization header must be "Bearer KEY"' : 'an API key is required: send "Authorization: Bearer KEY"'), request);
    }
    const key = await keys.find(match[1]!);
    if (!key) {
      reply.header('www-authenticate', 'Bearer realm="segmata", error="invalid_token"');
      return sendProblem(reply, problem(401, 'unauthorized', 'the API key is not valid (unknown or revoked)'), request);
    }
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

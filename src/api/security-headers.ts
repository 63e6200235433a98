import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of the UI and the API: everything from this origin only, no
 * inline script, no plugin, no framing. The built UI needs no more: Vite emits scripts and
 * styles as files, React and recharts set inline styles through the DOM (el.style, which CSP
 * does not govern), and the one inline resource is the favicon, a `data:` image.
 */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const satisfies Record<string, readonly string[]>;

/**
 * The usual security headers on every answer (the UI, the API, the docs, errors): the policy
 * above, X-Frame-Options DENY (frame-ancestors for older browsers), nosniff, no Referer, and
 * helmet's other defaults. HSTS is left to whatever terminates TLS in front of the server: it
 * serves plain HTTP itself, and a year-long HSTS for a whole domain is not its call to make.
 * `upgrade-insecure-requests` is left out for the same reason (it would break a UI on http://).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { ...CSP_DIRECTIVES } },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
}

/**
 * Swagger UI at /docs: the same policy, but its bundle sets inline `<style>` elements and
 * shows `data:` images, so its pages allow inline styles (scripts stay 'self' only). Given to
 * @fastify/swagger-ui's `transformStaticCSP`, which rewrites the header on its own routes only.
 */
export function docsCsp(header: string): string {
  return header.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'");
}

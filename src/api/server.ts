import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv, type Options as AjvOptions } from 'ajv';
import { definitionSchemas } from '../definition/json-schema.js';
import type { Engine } from '../engine/engine.js';
import { LiveLoop } from '../engine/live/loop.js';
import { authenticate, authFailureLimiter, DEFAULT_AUTH_FAILURES_PER_MINUTE, KeyCache } from './auth.js';
import type { AdmissionLimits } from './admission.js';
import { Evaluations } from './evaluation.js';
import { problem, sendProblem, toProblem } from './problem.js';
import { sharedSchemas } from './schemas.js';
import { registerKeyRoutes } from './routes/keys.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerSchemaRoutes } from './routes/schema.js';
import { registerSegmentRoutes } from './routes/segments.js';
import { registerSystemRoutes } from './routes/system.js';
import { registerTemplateRoutes } from './routes/templates.js';
import { registerStreamRoutes } from './routes/streams.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerImportRoutes } from './routes/imports.js';
import { registerWebUi, webUiDir } from './web-ui.js';
import { loggerOptions } from './logging.js';
import { clientErrorHandler, MAX_HEADER_SIZE, MAX_PARAM_LENGTH, refuseLongUrls } from './limits.js';
import { docsCsp, registerSecurityHeaders } from './security-headers.js';
import { WebhookDispatcher, type DispatcherOptions } from '../engine/webhooks/dispatcher.js';

export const API_PREFIX = '/api/v1';

/** How long a shutdown waits for requests in flight before it closes their connections. */
const SHUTDOWN_GRACE_MS = 30_000;

export interface ServerOptions {
  /** pino options, or false for no request logging (tests). */
  logger?: boolean | Record<string, unknown>;
  /** Keep live segments current in the background (the server's job; tests may drive it themselves). */
  live?: boolean;
  /** Deliver webhooks (with these retry settings), or not at all. */
  webhooks?: DispatcherOptions | false;
  /** The built web UI to serve at `/` (default: dist/web, or $SEGMATA_WEB_DIR). */
  webDir?: string;
  /**
   * Webhooks may have loopback, private, link-local and other non-public destinations (a
   * receiver on this machine or network). Off by default: such URLs are refused at creation
   * and at each delivery (`segmata serve --allow-private-webhooks` turns it on).
   */
  allowPrivateWebhooks?: boolean;
  /**
   * How long an evaluation a request starts (estimate, overlap, members of a draft, export,
   * explain) may run before it is stopped and answered 503 (default 10 s; `serve --query-timeout`).
   */
  queryTimeoutMs?: number;
  /** Expensive reads running and waiting per API key (default 2 and 4), and evaluating at once overall (default: cores − 1). */
  admission?: Partial<AdmissionLimits>;
  /** Failed sign-ins per minute from one client address before it gets 429 (default 30). */
  authFailuresPerMinute?: number;
}

/** Everything a route needs. */
export interface ApiContext {
  engine: Engine;
  keys: KeyCache;
  /** The live loop: keeps live segments current as time passes and changes arrive. */
  loop: LiveLoop;
  /**
   * After a write: its live membership changes recorded before the answer (most are recorded
   * in the write's own transaction already), so a client reads its own writes — as a one-shot
   * CLI command applies what its writes cause before it exits.
   */
  settle: () => Promise<void>;
  /** Open event streams, each ended by its function when the server closes. */
  streams: Set<() => void>;
  dispatcher: WebhookDispatcher;
  /** ServerOptions.allowPrivateWebhooks. */
  allowPrivateWebhooks: boolean;
  /** Deadlines and per-key admission of the evaluations requests start. */
  evaluations: Evaluations;
}

function ajvFor(options: AjvOptions): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, ...options });
  for (const s of [...definitionSchemas, ...sharedSchemas]) ajv.addSchema(s);
  return ajv;
}

/**
 * The HTTP API on an open engine. Requests are validated by their route's schema (bodies
 * strictly: no type coercion, unknown fields refused; query strings coerced from text), and
 * so is every JSON response before it is sent, by the same schemas the OpenAPI document shows.
 */
export async function buildServer(engine: Engine, options: ServerOptions = {}): Promise<{ app: FastifyInstance; context: ApiContext }> {
  const app = Fastify({
    // Request lines with secrets redacted (logging.ts).
    logger: loggerOptions(options.logger),
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 128 ? req.headers['x-request-id'] : randomUUID()),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // Size limits answered as problem+json (limits.ts).
    http: { maxHeaderSize: MAX_HEADER_SIZE },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    clientErrorHandler,
  });
  const context: ApiContext = {
    engine,
    keys: new KeyCache(engine.store),
    loop: new LiveLoop(engine.live, engine.clock),
    settle: async () => {
      // The write itself succeeded; a failing live pass is the loop's to retry, not the client's error.
      await engine.live.processPending().catch((e: unknown) => app.log.error({ err: e }, 'live segments: a pass after a write failed; the loop retries'));
    },
    streams: new Set(),
    dispatcher: new WebhookDispatcher(engine.store, {
      ...(options.webhooks || {}),
      allowPrivate: options.allowPrivateWebhooks ?? false,
      onError: (e) => app.log.error({ err: e }, 'webhooks: a pass failed; retrying'),
    }),
    allowPrivateWebhooks: options.allowPrivateWebhooks ?? false,
    evaluations: new Evaluations(engine.store, { timeoutMs: options.queryTimeoutMs, admission: options.admission }),
  };

  const bodies = ajvFor({ coerceTypes: false, useDefaults: true, removeAdditional: false });
  const texts = ajvFor({ coerceTypes: 'array', useDefaults: true, removeAdditional: false });
  const responses = ajvFor({ coerceTypes: false, useDefaults: false, removeAdditional: false });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : texts).compile(schema as object));
  app.setSerializerCompiler(({ schema, url, httpStatus }) => {
    const validate = responses.compile(schema as object);
    return (data) => {
      if (!validate(data)) {
        // A response that breaks its own schema is a server bug: say so, loudly, in the log.
        app.log.error({ url, httpStatus, errors: validate.errors }, 'response does not match its schema');
        throw new Error(`response of ${url} (${httpStatus}) does not match its schema: ${validate.errors?.map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; ')}`);
      }
      return JSON.stringify(data);
    };
  });
  for (const s of [...definitionSchemas, ...sharedSchemas]) app.addSchema(s);

  // Security headers first, so that every answer has them, the refusals of later hooks too.
  await registerSecurityHeaders(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  refuseLongUrls(app);
  app.setErrorHandler((error, request, reply) => {
    const p = toProblem(error, request);
    if (p.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, p, request);
  });
  // Shutting down: open event streams end, and each answer still in flight closes its
  // connection, so a keep-alive client cannot hold the shutdown open; a last resort after a grace period.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const end of [...context.streams]) end();
    setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, problem(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`), request));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Segmata API',
        version: '1',
        description:
          'Segments over contacts, accounts and interactions: live membership, estimates, explain and change feeds. ' +
          'Every route but /api/v1/health and the docs needs `Authorization: Bearer KEY`; a route\'s `x-segmata-role` is the least role that may call it (viewer < editor < admin). Errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', transformStaticCSP: docsCsp });
  await registerWebUi(app, options.webDir ?? webUiDir());

  const authFailures = await authFailureLimiter(app, options.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURES_PER_MINUTE);
  context.evaluations.trackWrites(app);
  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticate(context.keys, authFailures));
      registerSystemRoutes(api, context);
      registerSchemaRoutes(api, context);
      registerRecordRoutes(api, context);
      registerSegmentRoutes(api, context);
      registerStreamRoutes(api, context);
      registerTemplateRoutes(api, context);
      registerKeyRoutes(api, context);
      registerWebhookRoutes(api, context);
      registerImportRoutes(api, context);
    },
    { prefix: API_PREFIX },
  );

  if (options.live ?? true) {
    const running = context.loop.run({ onError: (e) => app.log.error({ err: e }, 'live segments: a pass failed; retrying') });
    app.addHook('onClose', async () => {
      await context.loop.stop();
      await running.catch(() => undefined);
    });
  }
  if (options.webhooks !== false) {
    context.dispatcher.start();
    const unsubscribe = engine.live.subscribe(() => context.dispatcher.wake());
    app.addHook('onClose', async () => {
      unsubscribe();
      await context.dispatcher.stop();
    });
  }
  return { app, context };
}

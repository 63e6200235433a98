import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { IMPORT_KINDS, type ImportKind } from '../../engine/import/types.js';
import { httpProblem } from '../problem.js';
import type { ApiContext } from '../server.js';
import { op, unknownReferencesSchema } from '../schemas.js';

/** The largest file one upload takes. */
const MAX_UPLOAD = 4 * 1024 ** 3;

/** The content types an upload may have (`segmata --server` sends application/octet-stream). */
const UPLOAD_TYPES = ['text/csv', 'application/x-ndjson', 'application/jsonl', 'application/octet-stream'];

/**
 * `POST /imports/{kind}?name=FILE`: a whole import file as the body, imported exactly as
 * `segmata import KIND FILE` would (format from the name's extension, all or nothing unless
 * `skipBadRows`, the same report and messages). `segmata --server` sends its files here.
 */
export function registerImportRoutes(api: FastifyInstance, { engine, settle }: ApiContext): void {
  void api.register(async (scope) => {
    // The body is streamed to a file as it arrives, never held in memory. Only file types are
    // read: a JSON or text/plain body would otherwise be parsed by the server-wide parsers and
    // reach the handler as an object or a string, not a stream (a JSON body made it fail with
    // an uncaught error, and a text/plain one was imported).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(UPLOAD_TYPES, (_request, payload, done) => done(null, payload));
    scope.addContentTypeParser('*', (request, _payload, done) =>
      done(httpProblem(415, 'unsupported-media-type', `send the file as the body with Content-Type ${UPLOAD_TYPES.join(', ')} (got ${request.headers['content-type'] ?? 'none'})`)),
    );
    scope.post('/imports/:kind', {
      schema: op('editor', 'imports', 'Import a CSV or JSONL file (the body) of contacts, accounts, leads or interactions, all or nothing unless skipBadRows', {
        params: { type: 'object', required: ['kind'], additionalProperties: false, properties: { kind: { enum: IMPORT_KINDS } } },
        querystring: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: {
              type: 'string',
              minLength: 1,
              maxLength: 255,
              // A NUL cannot be in a file name (it made the upload's file fail to open: a 500).
              pattern: '^[^\\u0000-\\u001f\\u007f]+$',
              description: 'the file name: its extension (.csv or .jsonl) gives the format, messages name it',
            },
            skipBadRows: { type: 'boolean', default: false },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['file', 'kind', 'rows', 'inserted', 'updated', 'skipped', 'bad', 'badCount', 'unknownReferences', 'ms'],
            properties: {
              file: { type: 'string' },
              kind: { type: 'string' },
              rows: { type: 'integer' },
              inserted: { type: 'integer' },
              updated: { type: 'integer' },
              skipped: { type: 'integer' },
              bad: { type: 'array', items: { type: 'object', required: ['line', 'reason'], properties: { line: { type: 'integer' }, column: { type: 'string' }, reason: { type: 'string' } } } },
              badCount: { type: 'integer' },
              unknownReferences: unknownReferencesSchema,
              ms: { type: 'number' },
            },
          },
        },
      }),
      bodyLimit: MAX_UPLOAD,
      handler: async (request) => {
        const { kind } = request.params as { kind: ImportKind };
        const q = request.query as { name: string; skipBadRows: boolean };
        const dir = mkdtempSync(join(tmpdir(), 'segmata-upload-'));
        try {
          // Only the name's last part is used: "..", "/" or "a/" would name the directory itself.
          const file = basename(q.name);
          if (file === '' || file === '.' || file === '..') throw httpProblem(400, 'validation', `query.name: "${q.name}" names no file`, [{ path: 'query.name', message: 'expected a file name such as contacts.csv' }]);
          const path = join(dir, file);
          await pipeline(request.body as Readable, createWriteStream(path));
          const report = await engine.importFile(kind, path, { skipBadRows: q.skipBadRows });
          await settle();
          return { ...report, file: q.name };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    });
  });
}

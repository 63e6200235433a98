import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { IMPORT_KINDS, type ImportKind } from '../../engine/import/types.js';
import type { ApiContext } from '../server.js';
import { op, unknownReferencesSchema } from '../schemas.js';

/** The largest file one upload takes. */
const MAX_UPLOAD = 4 * 1024 ** 3;

/**
 * `POST /imports/{kind}?name=FILE`: a whole import file as the body, imported exactly as
 * `segmata import KIND FILE` would (format from the name's extension, all or nothing unless
 * `skipBadRows`, the same report and messages). `segmata --server` sends its files here.
 */
export function registerImportRoutes(api: FastifyInstance, { engine, settle }: ApiContext): void {
  void api.register(async (scope) => {
    // The body is streamed to a file as it arrives, never held in memory.
    scope.addContentTypeParser(['text/csv', 'application/x-ndjson', 'application/jsonl', 'application/octet-stream'], (_request, payload, done) => done(null, payload));
    scope.post('/imports/:kind', {
      schema: op('editor', 'imports', 'Import a CSV or JSONL file (the body) of contacts, accounts, leads or interactions, all or nothing unless skipBadRows', {
        params: { type: 'object', required: ['kind'], additionalProperties: false, properties: { kind: { enum: IMPORT_KINDS } } },
        querystring: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1, maxLength: 255, description: 'the file name: its extension (.csv or .jsonl) gives the format, messages name it' }, skipBadRows: { type: 'boolean', default: false } },
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
          const path = join(dir, basename(q.name));
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

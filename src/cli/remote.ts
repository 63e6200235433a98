import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Role } from '../engine/access/keys.js';
import type { ImportReport } from '../engine/import/types.js';
import type { ChangeRow } from '../engine/segments/members.js';
import type { EvaluationResult, SegmentJson, SegmentRecord } from '../engine/segments/types.js';
import { SegmataError, type ErrorCode, type Issue } from '../errors.js';
import type { LabelDef, LabelOwner } from '../schema/labels.js';
import type { AttributeType, EntityName, RecordKind, SchemaSnapshot } from '../schema/types.js';
import type { Row } from '../store/store.js';
import type { Backend } from './backend.js';

const CODES: readonly ErrorCode[] = ['invalid_definition', 'invalid_schema_change', 'invalid_import', 'invalid_argument', 'not_found', 'conflict', 'lifecycle', 'evaluation_failed', 'unauthorized', 'forbidden', 'timeout', 'unavailable'];

/**
 * A problem+json answer as the error the same failure raises locally (same message, same exit
 * status). `definition`: the body was a segment definition, whose schema errors the engine words
 * as "invalid segment definition" with paths inside the definition.
 */
function asError(status: number, body: unknown, what: string, definition = false): SegmataError {
  const p = (body ?? {}) as { type?: string; detail?: string; errors?: Issue[] };
  const kind = (p.type ?? '').split('/').pop()?.replaceAll('-', '_') ?? '';
  if (definition && kind === 'validation' && p.errors?.length && p.errors.every((i) => i.path.startsWith('body'))) {
    const issues = p.errors.map((i) => ({ path: i.path.replace(/^body\.?/, ''), message: i.message }));
    return SegmataError.fromIssues('invalid_definition', 'invalid segment definition', issues);
  }
  const code: ErrorCode = (CODES as readonly string[]).includes(kind)
    ? (kind as ErrorCode)
    : status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 409 ? 'conflict' : status < 500 ? 'invalid_argument' : 'store';
  return new SegmataError(code, p.detail ?? `${what}: the server answered ${status}`, p.errors ?? []);
}

const segment = (j: SegmentJson): SegmentRecord => ({
  ...j,
  createdAt: new Date(j.createdAt),
  updatedAt: new Date(j.updatedAt),
  evaluatedAt: j.evaluatedAt ? new Date(j.evaluatedAt) : null,
});

/** The CLI's commands through a running server's HTTP API. */
export function remoteBackend(server: string, key: string): Backend {
  const base = `${server.replace(/\/+$/, '')}/api/v1`;
  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, definition = false): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      throw new SegmataError('store', `cannot reach the server at ${server}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`);
    }
    const text = await res.text();
    const parsed: unknown = text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined;
    if (!res.ok) throw asError(res.status, parsed, `${method} ${path}`, definition);
    return parsed as T;
  }
  const enc = encodeURIComponent;

  return {
    segments: {
      list: async () => {
        const out: SegmentRecord[] = [];
        let cursor: string | undefined;
        do {
          const page = await call<{ items: SegmentJson[]; next?: string }>('GET', `/segments?limit=1000${cursor ? `&cursor=${enc(cursor)}` : ''}`);
          out.push(...page.items.map(segment));
          cursor = page.next;
        } while (cursor);
        // The local listing's order: by id.
        return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      },
      get: async (id) => segment(await call<SegmentJson>('GET', `/segments/${enc(id)}`)),
      create: async (def) => segment(await call<SegmentJson>('POST', '/segments', def, {}, true)),
      update: async (id, def) => {
        // As locally, the edit applies to the segment as it stands: its version, read just before.
        const current = await call<SegmentJson>('GET', `/segments/${enc(id)}`);
        return segment(await call<SegmentJson>('PUT', `/segments/${enc(id)}`, def, { 'if-match': `"${current.version}"` }, true));
      },
      goLive: async (id) => {
        const r = await call<Omit<EvaluationResult, 'segmentId'>>('POST', `/segments/${enc(id)}/go-live`);
        return { segmentId: id, members: r.members, entered: r.entered, exited: r.exited, ms: r.ms };
      },
      stop: async (id) => void (await call('POST', `/segments/${enc(id)}/stop`)),
      delete: async (id) => void (await call('DELETE', `/segments/${enc(id)}`)),
      refresh: async (id) => {
        if (id === undefined) return (await call<{ items: EvaluationResult[] }>('POST', '/segments/refresh-all')).items;
        const r = await call<Omit<EvaluationResult, 'segmentId'>>('POST', `/segments/${enc(id)}/refresh`);
        return [{ segmentId: id, members: r.members, entered: r.entered, exited: r.exited, ms: r.ms }];
      },
      estimate: (def) => call('POST', '/segments/estimate', def, {}, true),
      changeMembers: async (id, ids, mode) => {
        const r = await call<{ added: number; removed: number }>('POST', `/segments/${enc(id)}/members`, { [mode]: ids });
        return mode === 'add' ? r.added : r.removed;
      },
    },
    async *members(id) {
      let cursor: string | undefined;
      do {
        const page = await call<{ items: Row[]; next?: string }>('GET', `/segments/${enc(id)}/members?limit=1000${cursor ? `&cursor=${enc(cursor)}` : ''}`);
        if (page.items.length) yield page.items;
        cursor = page.next;
      } while (cursor);
    },
    async explain(id, contactId) {
      const e = await call<{ text: string }>('GET', `/segments/${enc(id)}/explain/${enc(contactId)}`);
      return { text: e.text, json: e };
    },
    async changes(id, since, afterSeq) {
      const q = `after=${afterSeq}&limit=10000${since ? `&since=${enc(since.toISOString())}` : ''}`;
      const page = await call<{ items: { seq: number; contactId: string; change: 'entered' | 'exited'; at: string; cause: string }[] }>('GET', `/segments/${enc(id)}/changes?${q}`);
      return page.items.map((c): ChangeRow => ({ seq: c.seq, contact_id: c.contactId, change: c.change, changed_at: new Date(c.at), cause: c.cause }));
    },
    async follow(id, onChanges) {
      // The server's event stream says when changes were recorded; the log is read after each.
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const res = await fetch(`${base}/segments/${enc(id)}/changes/stream`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
        if (!res.ok || !res.body) throw asError(res.status, await res.json().catch(() => undefined), 'changes stream');
        const decoder = new TextDecoder();
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          if (decoder.decode(chunk, { stream: true }).includes('event: change')) await onChanges();
        }
      } catch (e) {
        if (!controller.signal.aborted) throw e;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    },
    async importFile(kind, path, options) {
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        throw new SegmataError('not_found', `${path}: no such file`);
      }
      options.onProgress?.({ phase: 'reading', percent: 0 });
      const q = `name=${enc(basename(path))}&skipBadRows=${options.skipBadRows ? 'true' : 'false'}`;
      let res: Response;
      try {
        res = await fetch(`${base}/imports/${kind}?${q}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream', 'content-length': String(size) },
          body: createReadStream(path) as unknown as NonNullable<RequestInit['body']>,
          duplex: 'half',
        } as RequestInit);
      } catch (e) {
        throw new SegmataError('store', `cannot reach the server at ${server}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const body = (await res.json().catch(() => undefined)) as ImportReport | undefined;
      if (!res.ok) throw asError(res.status, body, 'import');
      return { ...body!, file: path };
    },
    async schema() {
      type Labelled = { name: string; label: string; defaultLabel: string };
      const doc = await call<{
        entities: { name: RecordKind; attributes: (Labelled & { type: AttributeType; queryable: boolean; builtin: boolean })[] }[];
        interactionTypes: (Labelled & { queryable: boolean; builtin: boolean })[];
        /** Absent from servers older than the labels. */
        relations?: (Labelled & { from: EntityName })[];
      }>('GET', '/schema');
      // The snapshot lists only the labels set, as the local registry does: those unlike their default.
      const set = (entity: LabelOwner, items: Labelled[]): LabelDef[] =>
        items.filter((i) => i.label !== i.defaultLabel).map((i) => ({ entity, name: i.name, label: i.label }));
      return {
        attributes: doc.entities.flatMap((e) => e.attributes.map(({ label: _l, defaultLabel: _d, ...a }) => ({ entity: e.name, ...a }))),
        interactionTypes: doc.interactionTypes.map(({ label: _l, defaultLabel: _d, ...t }) => t),
        labels: [
          ...doc.entities.flatMap((e) => set(e.name, e.attributes)),
          ...(doc.relations ?? []).flatMap((r) => set(r.from, [r])),
          ...set('interaction_type', doc.interactionTypes),
        ],
      } satisfies SchemaSnapshot;
    },
    addAttribute: async (entity, name, type, queryable) => void (await call('POST', '/schema/attributes', { entity, name, type, queryable })),
    addInteractionType: async (name, queryable) => void (await call('POST', '/schema/interaction-types', { name, queryable })),
    setQueryable: async (entity, name, queryable) => void (await call('POST', '/schema/queryable', { entity, name, queryable })),
    setLabel: async (entity, name, label) => void (await call('POST', '/schema/labels', { entity, name, label })),
    deleteRecords: async (kind, ids) => (await call<{ deleted: number }>('POST', `/${kind}/delete`, { ids })).deleted,
    async contactTypes() {
      const s = await this.schema();
      return new Map(s.attributes.filter((a) => a.entity === 'contact').map((a) => [a.name, a.type as string]));
    },
    createKey: (role: Role, name: string) => call('POST', '/keys', { role, name }),
  };
}

/**
 * The designer proper: name, id and description, the blocks (or their JSON), the live estimate,
 * and Save / Go live / Stop. Holds the editing state; model.ts turns it into the definition.
 */
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, type FieldIssue } from '../api/client';
import { useSchema } from '../api/hooks';
import type { EvaluationResult, Page, Segment } from '../api/types';
import type { SegmentDefinition } from '../../../src/definition/ast.js';
import { formatCount, noun, plural } from '../ui/format';
import { ErrorState } from '../ui/states';
import { StatusBadge, TypeBadge } from '../ui/StatusBadge';
import { BlockList, BlockListCtx, type BlockListContext } from './BlockList';
import { fetchSegment } from './DesignerPage';
import { fieldMessages, FieldErrors, IssuesContext } from './issues';
import { JsonView } from './JsonView';
import {
  addBlock,
  fromDefinition,
  hasIncompleteBlock,
  moveBlock,
  newBlock,
  placeIssues,
  removeBlock,
  slugify,
  toDefinition,
  updateBlock,
  type BlockKind,
  type DesignerState,
} from './model';
import { useEstimate, estimateIssues } from './useEstimate';
import { contactAttributes, interactionAttributes, interactionTypeLabel } from './vocabulary';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The definition without an empty id (the API then makes one from the name). */
function definitionToSend(s: DesignerState): SegmentDefinition {
  const def = toDefinition(s);
  if (def.id === '') {
    const { id: _empty, ...rest } = def;
    return rest as SegmentDefinition;
  }
  return def;
}

/**
 * What the estimate needs: the query; a placeholder name keeps an unnamed draft estimable.
 * Null when there is nothing to estimate yet: no blocks, or one not filled in (its count would
 * be that of an empty value, a 0 that says nothing about what the user is about to type).
 */
function definitionToEstimate(s: DesignerState): SegmentDefinition | null {
  if (s.type === 'static' || s.blocks.length === 0 || hasIncompleteBlock(s.blocks)) return null;
  const { id: _id, description: _d, members: _m, ...def } = toDefinition(s);
  return { ...def, name: s.name.trim() === '' ? 'Untitled' : s.name } as SegmentDefinition;
}

type Busy = null | 'save' | 'go-live' | 'stop' | 'reload';

export function Designer({ initial, segment: initialSegment, idEdited, initialFailure }: { initial: DesignerState; segment?: Segment; idEdited: boolean; initialFailure?: string }) {
  const navigate = useNavigate();
  const schema = useSchema();
  const [state, setState] = useState(initial);
  const [segment, setSegment] = useState(initialSegment);
  const [saved, setSaved] = useState(() => (initialSegment ? JSON.stringify(toDefinition(initial)) : null));
  const [idTouched, setIdTouched] = useState(idEdited);
  const [view, setView] = useState<'design' | 'json'>('design');
  const [busy, setBusy] = useState<Busy>(null);
  const [conflict, setConflict] = useState(false);
  const [failure, setFailure] = useState<unknown>(initialFailure ? new Error(initialFailure) : null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saveIssues, setSaveIssues] = useState<{ json: string; issues: FieldIssue[] } | null>(null);
  const ids = useId();

  const definition = useMemo(() => definitionToSend(state), [state]);
  const json = useMemo(() => JSON.stringify(definition), [definition]);
  const dirty = saved !== json;
  const editing = segment !== undefined;

  // Leaving with unsaved edits asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const estimateDef = useMemo(() => definitionToEstimate(state), [state]);
  const estimate = useEstimate(estimateDef);

  const segments = useQuery({
    queryKey: ['segments', 'designer-picker'],
    queryFn: () => api<Page<Segment>>('/segments', { query: { limit: 1000 } }),
    staleTime: 30_000,
  });

  // The issues shown: the estimate's (live) and the last save's while the definition is unchanged.
  const issues = useMemo(() => {
    const raw = [...estimateIssues(estimate.error), ...(saveIssues && saveIssues.json === json ? saveIssues.issues : [])];
    const seen = new Set<string>();
    const unique = raw.filter((i) => {
      const k = `${i.path.replace(/^body\./, '')}|${i.message}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
    return placeIssues(state, unique);
  }, [estimate.error, saveIssues, json, state]);
  const general = issues.filter((i) => i.target.kind === 'general' || (i.target.kind === 'field' && i.target.field === 'query'));

  const blockCtx = useMemo<BlockListContext>(() => {
    const s = schema.data;
    const contact = s ? contactAttributes(s) : [];
    const interaction = s ? interactionAttributes(s) : [];
    const firstAttr = contact[0]?.options[0];
    const types = s ? s.interactionTypes.filter((t) => t.queryable !== false).map((t) => t.name) : [];
    const estimates = new Map<string, number>();
    for (const b of estimate.estimate?.blocks ?? []) {
      const key = state.blocks[b.index]?.key;
      if (key) estimates.set(key, b.count);
    }
    const edit = (f: (s: DesignerState) => DesignerState) => setState((prev) => f(prev));
    return {
      contactAttributes: contact,
      interactionAttributes: interaction,
      interactionTypes: types,
      typeLabel: (t: string) => interactionTypeLabel(s, t),
      segments: (segments.data?.items ?? []).filter((x) => x.id !== segment?.id && x.id !== state.id),
      kinds: state.type === 'compound' ? ['segment', 'group'] : ['profile', 'behavioral', 'segment', 'group'],
      estimates,
      estimateStale: estimate.pending || estimate.error !== undefined,
      update: (key, f) => edit((p) => ({ ...p, blocks: updateBlock(p.blocks, key, f) })),
      remove: (key) => edit((p) => ({ ...p, blocks: removeBlock(p.blocks, key) })),
      move: (key, delta) => edit((p) => ({ ...p, blocks: moveBlock(p.blocks, key, delta) })),
      add: (parentKey, kind: BlockKind) =>
        edit((p) => ({
          ...p,
          hasQuery: true,
          blocks: addBlock(
            p.blocks,
            parentKey,
            newBlock(kind, { field: firstAttr?.name ?? 'state', fieldType: firstAttr?.type ?? 'string', interaction: types[0] ?? '', segment: '' }),
          ),
        })),
    };
  }, [schema.data, segments.data, estimate, state.blocks, state.type, state.id, segment?.id]);

  const setName = (name: string) =>
    setState((p) => ({ ...p, name, ...(!editing && !idTouched ? { id: slugify(name) } : {}) }));

  /** Create or update; answers the stored segment, or null after showing why not. */
  const persist = useCallback(async (): Promise<Segment | null> => {
    setConflict(false);
    setFailure(null);
    setNotice(null);
    const sent = json;
    try {
      const seg = segment
        ? await api<Segment>(`/segments/${encodeURIComponent(segment.id)}`, { method: 'PUT', body: definition, headers: { 'if-match': `"${segment.version}"` } })
        : await api<Segment>('/segments', { method: 'POST', body: definition });
      setSegment(seg);
      setSaved(sent);
      setSaveIssues(null);
      return seg;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && segment) setConflict(true);
      else if (e instanceof ApiError && e.issues.length > 0) setSaveIssues({ json: sent, issues: e.issues });
      else if (e instanceof ApiError && e.status === 409) setSaveIssues({ json: sent, issues: [{ path: 'id', message: e.message }] });
      else setFailure(e);
      return null;
    }
  }, [definition, json, segment]);

  const afterCreate = (seg: Segment, failure?: string) =>
    navigate(`/segments/${encodeURIComponent(seg.id)}/design`, { replace: true, state: { segment: seg, ...(failure ? { failure } : {}) } });

  const run = async (what: Busy, f: () => Promise<void>) => {
    setBusy(what);
    try {
      await f();
    } finally {
      setBusy(null);
    }
  };

  const save = () =>
    run('save', async () => {
      const wasNew = !segment;
      if (!wasNew && !dirty) return setNotice(`Nothing changed since version ${segment.version}.`);
      const seg = await persist();
      if (seg && wasNew) afterCreate(seg);
      else if (seg) setNotice(`Saved (version ${seg.version}).`);
    });

  const goLive = () =>
    run('go-live', async () => {
      const wasNew = !segment;
      const seg = dirty || !segment ? await persist() : segment;
      if (!seg) return;
      try {
        const r = await api<EvaluationResult>(`/segments/${encodeURIComponent(seg.id)}/go-live`, { method: 'POST' });
        if (wasNew) return void afterCreate(r.segment);
        setSegment(r.segment);
        setNotice(`Live: ${plural(r.members ?? r.segment.memberCount, 'member')}.`);
      } catch (e) {
        // Saved, but not live: the edit page it moves to says why.
        if (wasNew) afterCreate(seg, `Saved, but it could not go live: ${e instanceof Error ? e.message : String(e)}`);
        else setFailure(e);
      }
    });

  const stop = () =>
    run('stop', async () => {
      if (!segment) return;
      try {
        const r = await api<EvaluationResult>(`/segments/${encodeURIComponent(segment.id)}/stop`, { method: 'POST' });
        setSegment(r.segment);
        setNotice('Stopped: membership is kept but no longer maintained.');
      } catch (e) {
        setFailure(e);
      }
    });

  /** After a conflict: take the stored version (dropping these edits), or save these edits over it. */
  const reload = (overwrite: boolean) =>
    run('reload', async () => {
      if (!segment) return;
      try {
        const latest = await fetchSegment(segment.id);
        setSegment(latest);
        setConflict(false);
        if (overwrite) {
          const seg = await api<Segment>(`/segments/${encodeURIComponent(latest.id)}`, { method: 'PUT', body: definition, headers: { 'if-match': `"${latest.version}"` } });
          setSegment(seg);
          setSaved(json);
          setNotice(`Saved over the other change (version ${seg.version}).`);
        } else {
          const next = fromDefinition(latest.definition);
          setState(next);
          setSaved(JSON.stringify(definitionToSend(next)));
          setNotice(`Reloaded version ${latest.version}.`);
        }
      } catch (e) {
        if (e instanceof ApiError && e.issues.length > 0) setSaveIssues({ json, issues: e.issues });
        else setFailure(e);
      }
    });

  const replaceFromJson = (d: SegmentDefinition) => {
    setState(fromDefinition(editing && d.id === undefined ? { ...d, id: segment.id } : d));
    if (!editing && d.id !== undefined) setIdTouched(true);
  };

  if (state.type === 'static') {
    return (
      <div className="designer">
        <h1>{state.name || 'Static segment'}</h1>
        <p className="notice">
          Static segments have hand-picked members and no blocks; add or remove members on the{' '}
          {segment ? <Link to={`/segments/${encodeURIComponent(segment.id)}`}>segment page</Link> : 'segment page'}.
        </p>
      </div>
    );
  }

  const nameErrors = fieldMessages(issues, 'name');
  const idErrors = [...fieldMessages(issues, 'id'), ...(state.id && !ID_PATTERN.test(state.id) ? ['lower-case letters, digits and dashes, starting with a letter or digit (at most 64)'] : [])];
  const descriptionErrors = fieldMessages(issues, 'description');
  const typeErrors = fieldMessages(issues, 'type');
  const est = estimate.estimate;

  return (
    <IssuesContext.Provider value={issues}>
      <div className="designer">
        <div className="page-head designer-head">
          <div className="designer-title">
            <h1>{editing ? `Design: ${segment.name}` : 'New segment'}</h1>
            <span data-testid="segment-status">{segment ? <StatusBadge status={segment.status} /> : <span className="badge">not saved</span>}</span>
            <TypeBadge type={state.type} />
            {dirty && editing && <span className="muted">unsaved changes</span>}
          </div>
          <div className="toolbar designer-actions">
            {segment && <Link to={`/segments/${encodeURIComponent(segment.id)}`}>View segment</Link>}
            <button type="button" className="primary" onClick={() => void save()} disabled={busy !== null}>
              {busy === 'save' ? 'Saving…' : 'Save'}
            </button>
            {segment?.status !== 'live' && (
              <button type="button" onClick={() => void goLive()} disabled={busy !== null}>
                Go live
              </button>
            )}
            {segment?.status === 'live' && (
              <button type="button" className="danger" onClick={() => void stop()} disabled={busy !== null}>
                Stop
              </button>
            )}
          </div>
        </div>

        <div aria-live="polite">{notice && <p className="notice">{notice}</p>}</div>
        {conflict && (
          <div className="state error" role="alert">
            <strong>This segment changed meanwhile — reload.</strong> Someone saved a newer version while you were editing; your edits
            are still here.
            <div className="toolbar conflict-actions">
              <button type="button" onClick={() => void reload(false)} disabled={busy !== null}>
                Reload (drop my edits)
              </button>
              <button type="button" onClick={() => void reload(true)} disabled={busy !== null}>
                Save mine over it
              </button>
            </div>
          </div>
        )}
        {failure !== null && <ErrorState error={failure} />}
        {segment?.status === 'error' && segment.error && <p className="field-error">Last evaluation failed: {segment.error}</p>}

        <section className="card designer-meta" aria-label="Name and description">
          <div className="meta-grid">
            <div className="field">
              <label htmlFor={`${ids}-name`}>Name</label>
              <input
                id={`${ids}-name`}
                value={state.name}
                required
                maxLength={200}
                aria-invalid={nameErrors.length > 0 || undefined}
                aria-describedby={`${ids}-name-err`}
                onChange={(e) => setName(e.target.value)}
                placeholder="e.g. Arizona software people who opened an email"
              />
              <FieldErrors id={`${ids}-name-err`} messages={nameErrors} />
            </div>
            <div className="field">
              <label htmlFor={`${ids}-id`}>Id</label>
              <input
                id={`${ids}-id`}
                value={state.id ?? ''}
                readOnly={editing}
                aria-invalid={idErrors.length > 0 || undefined}
                aria-describedby={`${ids}-id-help ${ids}-id-err`}
                onChange={(e) => {
                  setIdTouched(true);
                  setState((p) => ({ ...p, id: e.target.value }));
                }}
              />
              <span id={`${ids}-id-help`} className="muted small">
                {editing ? 'An id never changes.' : 'Made from the name; used in the API and in other segments.'}
              </span>
              <FieldErrors id={`${ids}-id-err`} messages={idErrors} />
            </div>
            <div className="field field-wide">
              <label htmlFor={`${ids}-desc`}>Description</label>
              <textarea
                id={`${ids}-desc`}
                rows={2}
                maxLength={2000}
                value={state.description ?? ''}
                aria-invalid={descriptionErrors.length > 0 || undefined}
                onChange={(e) =>
                  setState((p) => {
                    const { description: _d, ...rest } = p;
                    return e.target.value === '' ? rest : { ...rest, description: e.target.value };
                  })
                }
              />
              <FieldErrors messages={descriptionErrors} />
            </div>
            {!editing && (
              <fieldset className="field type-choice">
                <legend>Type</legend>
                {(['dynamic', 'compound'] as const).map((t) => (
                  <label key={t}>
                    <input type="radio" name={`${ids}-type`} value={t} checked={state.type === t} onChange={() => setState((p) => ({ ...p, type: t }))} />{' '}
                    {t === 'dynamic' ? 'Dynamic — any blocks' : 'Compound — built from other segments'}
                  </label>
                ))}
                <FieldErrors messages={typeErrors} />
              </fieldset>
            )}
          </div>
        </section>

        <div className="designer-main">
          <section className="designer-blocks" aria-label="Definition">
            <div className="tabs" role="tablist" aria-label="View">
              {(['design', 'json'] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  role="tab"
                  id={`${ids}-tab-${v}`}
                  aria-selected={view === v}
                  aria-controls={`${ids}-panel`}
                  tabIndex={view === v ? 0 : -1}
                  className={view === v ? 'active' : undefined}
                  onClick={() => setView(v)}
                  onKeyDown={(e) => {
                    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                      const next = v === 'design' ? 'json' : 'design';
                      setView(next);
                      document.getElementById(`${ids}-tab-${next}`)?.focus();
                    }
                  }}
                >
                  {v === 'design' ? 'Blocks' : 'JSON'}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-tab-${view}`} className="designer-panel">
              {schema.error ? <ErrorState error={schema.error} retry={() => void schema.refetch()} /> : null}
              {view === 'design' ? (
                <BlockListCtx.Provider value={blockCtx}>
                  <BlockList blocks={state.blocks} parentKey={null} depth={0} />
                </BlockListCtx.Provider>
              ) : (
                <JsonView definition={definition} onReplace={replaceFromJson} {...(segment ? { readOnlyId: segment.id } : {})} />
              )}
              <FieldErrors messages={general.map((g) => (g.path && g.target.kind === 'general' ? `${g.path}: ${g.message}` : g.message))} />
            </div>
          </section>

          <aside className="card designer-summary" aria-label="Estimate">
            <h2>Estimated members</h2>
            <p className={`estimate-total${estimate.pending || estimate.error ? ' stale' : ''}`} aria-live="polite" aria-busy={estimate.pending}>
              <span data-testid="estimate-total" data-count={est?.total} className="num">
                {est ? formatCount(est.total) : '–'}
              </span>
              <span className="muted"> {noun(est?.total ?? 0, 'contact')}</span>
            </p>
            <p className="muted small">
              {estimateDef === null
                ? state.blocks.length === 0
                  ? 'Add a block to see how many contacts match.'
                  : 'Some conditions are incomplete (marked beside them): fill them in to see how many contacts match.'
                : estimate.pending
                  ? 'Updating…'
                  : estimate.error
                    ? 'The definition is not complete yet — see the messages beside the blocks.'
                    : est
                      ? `Counted now${est.ms !== undefined ? ` in ${Math.round(est.ms)} ms` : ''}; each block's own count is beside it.`
                      : ''}
            </p>
            {segment && (
              <p className="small">
                Stored: version {segment.version}, {plural(segment.memberCount, 'member')}
              </p>
            )}
          </aside>
        </div>
      </div>
    </IssuesContext.Provider>
  );
}

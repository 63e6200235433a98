import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../api/client';
import type { Page, Segment, SegmentDefinition, SegmentType } from '../api/types';
import { ErrorState, Loading } from '../ui/states';
import { idFromName as slugOf } from '../../../src/definition/id.js';
import { TemplatePanel } from './TemplatePanel';
import type { Template } from './templates';

const KINDS: { type: SegmentType; title: string; text: string }[] = [
  { type: 'dynamic', title: 'Dynamic', text: 'A query over profiles and behaviour; members come and go as the data changes.' },
  { type: 'static', title: 'Static', text: 'Members picked by hand (or imported from a list); they never change by themselves.' },
  { type: 'compound', title: 'Compound', text: 'Built from other segments: in this one, and also that one, but not a third.' },
];

/** New segment: choose its type; a dynamic one starts from a template (or from scratch). */
export function NewSegment() {
  const [type, setType] = useState<SegmentType>('dynamic');
  const navigate = useNavigate();
  return (
    <section aria-labelledby="new-title">
      <div className="page-head">
        <h1 id="new-title">New segment</h1>
      </div>
      <fieldset className="kind-choice">
        <legend>Segment type</legend>
        {KINDS.map((k) => (
          <label key={k.type} className={`kind-card card${type === k.type ? ' chosen' : ''}`}>
            <input type="radio" name="segment-type" value={k.type} checked={type === k.type} onChange={() => setType(k.type)} />
            <span className="kind-title">{k.title}</span>
            <span className="muted">{k.text}</span>
          </label>
        ))}
      </fieldset>
      {type === 'dynamic' && <TemplateGallery />}
      {type === 'compound' && (
        <div className="card">
          <p>A compound segment combines existing segments with or / and also / but not.</p>
          <button type="button" className="primary" onClick={() => navigate('/designer/new?type=compound')}>
            Open the designer
          </button>
        </div>
      )}
      {type === 'static' && <NewStaticSegment />}
    </section>
  );
}

function TemplateGallery() {
  const templates = useQuery({ queryKey: ['templates'], queryFn: () => api<Page<Template>>('/templates') });
  const [chosen, setChosen] = useState<string | null>(null);
  const navigate = useNavigate();
  const select = useMutation({
    mutationFn: ({ name, params }: { name: string; params: Record<string, string> }) =>
      api<{ definition: SegmentDefinition }>(`/templates/${encodeURIComponent(name)}/instantiate`, { method: 'POST', body: { params, save: false } }),
    onSuccess: ({ definition }) => navigate('/designer/new?type=dynamic', { state: { definition } }),
  });
  if (templates.isPending) return <Loading what="Loading templates" />;
  if (templates.isError) return <ErrorState error={templates.error} retry={() => void templates.refetch()} />;
  const current = templates.data.items.find((t) => t.name === chosen);
  return (
    <div className="gallery-layout">
      <div>
        <h2 id="gallery-title">Start from a template</h2>
        <ul className="gallery" aria-labelledby="gallery-title">
          <li>
            <button type="button" className="template-card card scratch" onClick={() => navigate('/designer/new?type=dynamic')}>
              <span className="template-title">Start from scratch</span>
              <span className="muted">An empty designer: add profile, behavioral and segment blocks.</span>
            </button>
          </li>
          {templates.data.items.map((t) => (
            <li key={t.name}>
              <button type="button" className={`template-card card${chosen === t.name ? ' chosen' : ''}`} aria-pressed={chosen === t.name} onClick={() => setChosen(t.name)}>
                <span className="template-title">{t.title}</span>
                <span className="muted">{t.description}</span>
                <span className="badge">{t.category}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <aside className="info-panel card" aria-label="Template details" aria-live="polite">
        {current ? (
          <TemplatePanel key={current.name} template={current} busy={select.isPending} error={select.error} onSelect={(params) => select.mutate({ name: current.name, params })} />
        ) : (
          <p className="muted">Choose a template to see what it finds and the parameters it takes.</p>
        )}
      </aside>
    </div>
  );
}

function NewStaticSegment() {
  const [name, setName] = useState('');
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () => api<Segment>('/segments', { method: 'POST', body: { id: slugOf(name), name: name.trim(), type: 'static' } }),
    onSuccess: (s) => navigate(`/segments/${encodeURIComponent(s.id)}/members`),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  const nameIssue = create.error instanceof ApiError ? create.error.issues.find((i) => /name|id/.test(i.path)) : undefined;
  return (
    <form className="card static-form" onSubmit={submit}>
      <label htmlFor="static-name">Segment name</label>
      <input id="static-name" value={name} onChange={(e) => setName(e.target.value)} required aria-invalid={!!create.error} aria-describedby={create.error ? 'static-error' : undefined} />
      {name.trim() && (
        <p className="muted">
          Id: <code>{slugOf(name)}</code>
        </p>
      )}
      {create.error && (
        <p id="static-error" className="field-error" role="alert">
          {nameIssue ? `${nameIssue.path}: ${nameIssue.message}` : create.error.message}
        </p>
      )}
      <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
        Create and pick members
      </button>
    </form>
  );
}

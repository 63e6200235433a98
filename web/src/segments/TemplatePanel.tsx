import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { describeBlocks } from '../../../src/definition/describe.js';
import { api, ApiError } from '../api/client';
import { useLabels } from '../api/labels';
import type { SegmentDefinition } from '../api/types';
import { useDebounced } from '../ui/useDebounced';
import { initialValue, missingParams, paramsToSend, type Template } from './templates';

/** The information panel of a template: what it finds, its parameters to fill, and "Select". */
export function TemplatePanel({ template, busy, error, onSelect }: { template: Template; busy: boolean; error: Error | null; onSelect: (params: Record<string, string>) => void }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(template.params.map((p) => [p.name, initialValue(p)])));
  const [tried, setTried] = useState(false);
  const labels = useLabels();
  const missing = missingParams(template.params, values);
  const issueOf = (name: string): string | undefined => {
    if (tried && missing.includes(name)) return 'required';
    return error instanceof ApiError ? error.issues.find((i) => i.path.endsWith(`params.${name}`) || i.path.endsWith(`.${name}`))?.message : undefined;
  };
  // What the template finds with these parameters, in words: the definition it makes (not saved).
  const sent = useDebounced(JSON.stringify(paramsToSend(template.params, values)), 300);
  const preview = useQuery({
    queryKey: ['template-preview', template.name, sent],
    queryFn: ({ signal }) =>
      api<{ definition: SegmentDefinition }>(`/templates/${encodeURIComponent(template.name)}/instantiate`, { method: 'POST', body: { params: JSON.parse(sent) as Record<string, string>, save: false }, signal }),
    enabled: missing.length === 0,
    retry: false,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (missing.length === 0) onSelect(paramsToSend(template.params, values));
  };
  return (
    <form onSubmit={submit} aria-labelledby="template-title">
      <h2 id="template-title">{template.title}</h2>
      <p>{template.description}</p>
      {template.params.map((p) => {
        const issue = issueOf(p.name);
        const id = `param-${p.name}`;
        return (
          <div className="field" key={p.name}>
            <label htmlFor={id}>
              {p.label}
              {p.required ? ' *' : ''}
            </label>
            <input
              id={id}
              value={values[p.name] ?? ''}
              inputMode={p.type === 'number' ? 'decimal' : undefined}
              onChange={(e) => setValues((v) => ({ ...v, [p.name]: e.target.value }))}
              aria-invalid={!!issue}
              aria-describedby={`${id}-help`}
            />
            <small id={`${id}-help`} className={issue ? 'field-error' : 'muted'}>
              {issue ?? `${p.description ?? ''}${p.type.endsWith('[]') ? ' (comma-separated)' : ''}`}
            </small>
          </div>
        );
      })}
      <div className="template-preview" aria-live="polite">
        <strong>Finds:</strong>{' '}
        {missing.length > 0 ? (
          <span className="muted">fill in the required parameters.</span>
        ) : preview.isError ? (
          <span className="field-error">{preview.error.message}</span>
        ) : preview.data?.definition.query ? (
          describeBlocks(preview.data.definition.query.blocks, labels)
        ) : (
          <span className="muted">…</span>
        )}
      </div>
      {error && !(error instanceof ApiError && error.issues.length) && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Loading…' : 'Select'}
      </button>
    </form>
  );
}

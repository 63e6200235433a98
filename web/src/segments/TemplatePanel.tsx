import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { initialValue, missingParams, paramsToSend, type Template } from './templates';

/** The information panel of a template: what it finds, its parameters to fill, and "Select". */
export function TemplatePanel({ template, busy, error, onSelect }: { template: Template; busy: boolean; error: Error | null; onSelect: (params: Record<string, string>) => void }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(template.params.map((p) => [p.name, initialValue(p)])));
  const [tried, setTried] = useState(false);
  const missing = missingParams(template.params, values);
  const issueOf = (name: string): string | undefined => {
    if (tried && missing.includes(name)) return 'required';
    return error instanceof ApiError ? error.issues.find((i) => i.path.endsWith(`params.${name}`) || i.path.endsWith(`.${name}`))?.message : undefined;
  };
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

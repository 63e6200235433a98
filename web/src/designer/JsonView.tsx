/**
 * The exact definition JSON the API receives. Pasting or typing a valid definition replaces
 * the designer's state; a parse error is shown and changes nothing.
 */
import { useId, useState } from 'react';
import type { SegmentDefinition } from '../../../src/definition/ast.js';

/** Enough shape to be shown in the designer; the API validates the rest. */
function asDefinition(text: string): SegmentDefinition | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return e instanceof Error ? e.message : 'not JSON';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected a JSON object { "name", "type", "query" }';
  const o = v as Record<string, unknown>;
  if (typeof o.name !== 'string') return '"name" must be a string';
  if (o.type !== 'dynamic' && o.type !== 'compound' && o.type !== 'static') return '"type" must be "dynamic", "compound" or "static"';
  if (o.query !== undefined) {
    const q = o.query as { blocks?: unknown } | null;
    if (typeof q !== 'object' || q === null || !Array.isArray(q.blocks)) return '"query" must be { "blocks": [...] }';
    const bad = (blocks: unknown[], path: string): string | undefined => {
      for (const [i, b] of blocks.entries()) {
        const kind = (b as { kind?: unknown } | null)?.kind;
        const where = `${path}[${i}]`;
        if (kind === 'group') {
          const inner = (b as { blocks?: unknown }).blocks;
          if (!Array.isArray(inner)) return `${where}.blocks must be an array`;
          const e = bad(inner, `${where}.blocks`);
          if (e) return e;
        } else if (kind === 'profile') {
          if (typeof (b as { where?: unknown }).where !== 'object') return `${where}.where must be a condition`;
        } else if (kind !== 'behavioral' && kind !== 'segment') return `${where}.kind must be profile, behavioral, segment or group`;
      }
      return undefined;
    };
    const e = bad(q.blocks as unknown[], 'query.blocks');
    if (e) return e;
  }
  return v as SegmentDefinition;
}

export function JsonView({ definition, onReplace, readOnlyId }: { definition: SegmentDefinition; onReplace: (d: SegmentDefinition) => void; readOnlyId?: string }) {
  const [draft, setDraft] = useState(() => JSON.stringify(definition, null, 2));
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const change = (text: string) => {
    setDraft(text);
    const d = asDefinition(text);
    if (typeof d === 'string') return setError(d);
    if (readOnlyId !== undefined && d.id !== undefined && d.id !== readOnlyId) return setError(`"id" cannot change when editing (it is "${readOnlyId}")`);
    setError(null);
    onReplace(d);
  };
  return (
    <div className="json-view">
      <label htmlFor={id}>Definition JSON</label>
      <p className="muted" id={`${id}-help`}>
        Exactly what is saved. Paste or edit a definition here; once it is valid JSON it replaces the design.
      </p>
      <textarea
        id={id}
        spellCheck={false}
        value={draft}
        rows={Math.min(40, Math.max(12, draft.split('\n').length + 1))}
        aria-invalid={error !== null || undefined}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
        onChange={(e) => change(e.target.value)}
      />
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

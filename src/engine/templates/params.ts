import { parseInstant } from '../../definition/operators.js';
import { SegmataError, type Issue } from '../../errors.js';
import type { ParamValue, ParamValues, Template, TemplateParam } from './types.js';

const SEGMENT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export type Parsed = { ok: true; value: ParamValue } | { ok: false; message: string };

const ok = (value: ParamValue): Parsed => ({ ok: true, value });
const bad = (message: string): Parsed => ({ ok: false, message });

/** Parse one parameter's text (e.g. from `--param k=v`) to the parameter's type. */
export function parseParam(p: TemplateParam, text: string): Parsed {
  const raw = text.trim();
  switch (p.type) {
    case 'string':
    case 'interaction_type':
      return ok(raw);
    case 'segment':
      return raw === '' || SEGMENT_ID.test(raw) ? ok(raw) : bad(`expected a segment id (lowercase letters, digits and dashes), got "${raw}"`);
    case 'string[]':
      return ok(raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0));
    case 'date':
      return raw === '' || parseInstant(raw) !== undefined
        ? ok(raw)
        : bad(`expected an ISO 8601 date (2024-05-31) or date-time with zone (2024-05-31T12:00:00Z), got "${raw}"`);
    case 'number':
    case 'integer': {
      if (raw === '') return ok(raw);
      const n = Number(raw);
      if (!Number.isFinite(n)) return bad(`expected a number, got "${raw}"`);
      if (p.type === 'integer' && !Number.isSafeInteger(n)) return bad(`expected a whole number up to ${Number.MAX_SAFE_INTEGER}, got "${raw}"`);
      if (p.min !== undefined && n < p.min) return bad(`must be at least ${p.min}, got ${n}`);
      if (p.max !== undefined && n > p.max) return bad(`must be at most ${p.max}, got ${n}`);
      return ok(n);
    }
  }
}

/** An empty text or list counts as "not given", so the default (if any) applies. */
const isEmpty = (v: ParamValue): boolean => v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Read a template's parameters from text: unknown names, missing required values and
 * unparseable values are all reported at once, each naming its parameter. Defaults fill
 * what is not given.
 */
export function resolveParams(template: Template, given: Readonly<Record<string, string>>): ParamValues {
  const issues: Issue[] = [];
  const names = template.params.map((p) => p.name);
  for (const name of Object.keys(given)) {
    if (!names.includes(name)) {
      issues.push({
        path: `params.${name}`,
        message: `unknown parameter "${name}" for template "${template.name}" (parameters: ${names.join(', ') || 'none'})`,
      });
    }
  }
  const out: Record<string, ParamValue> = {};
  for (const p of template.params) {
    const text = given[p.name];
    let value: ParamValue | undefined;
    if (text !== undefined) {
      const parsed = parseParam(p, text);
      if (!parsed.ok) {
        issues.push({ path: `params.${p.name}`, message: `parameter "${p.name}": ${parsed.message}` });
        continue;
      }
      value = parsed.value;
    }
    if (value === undefined || isEmpty(value)) value = p.default;
    if (value === undefined || isEmpty(value)) {
      if (p.required) issues.push({ path: `params.${p.name}`, message: `parameter "${p.name}" is required: ${p.description}` });
      continue;
    }
    out[p.name] = value;
  }
  if (issues.length > 0) throw SegmataError.fromIssues('invalid_argument', `template "${template.name}"`, issues);
  return out;
}

/** Typed reads of resolved values inside `build`; absent optional values read as undefined. */
export const optional = {
  text(v: ParamValues, name: string): string | undefined {
    const x = v[name];
    return typeof x === 'string' && x !== '' ? x : undefined;
  },
  number(v: ParamValues, name: string): number | undefined {
    const x = v[name];
    return typeof x === 'number' ? x : undefined;
  },
  list(v: ParamValues, name: string): string[] | undefined {
    const x = v[name];
    return Array.isArray(x) && x.length > 0 ? x : undefined;
  },
};

function missing(name: string): SegmataError {
  return new SegmataError('invalid_argument', `parameter "${name}" is required`, [{ path: `params.${name}`, message: 'required' }]);
}

/** Reads of required values: resolveParams guarantees them; a direct `build` call without them fails clearly. */
export const required = {
  text(v: ParamValues, name: string): string {
    const x = optional.text(v, name);
    if (x === undefined) throw missing(name);
    return x;
  },
  number(v: ParamValues, name: string): number {
    const x = optional.number(v, name);
    if (x === undefined) throw missing(name);
    return x;
  },
  list(v: ParamValues, name: string): string[] {
    const x = optional.list(v, name);
    if (x === undefined) throw missing(name);
    return x;
  },
};

import { Ajv, type ErrorObject } from 'ajv';
import { SegmataError, type Issue } from '../errors.js';
import type { SegmentDefinition } from './ast.js';
import { definitionSchemas, ONE_LINE_PATTERN } from './json-schema.js';
import { checkDefinitionBounds } from './limits.js';

const ajv = new Ajv({ allErrors: true, strict: false });
for (const s of definitionSchemas) ajv.addSchema(s);
const validateShape = ajv.getSchema('segment-definition')!;

/** `/query/blocks/2/where/all/0/op` → `query.blocks[2].where.all[0].op` */
export function toPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function valueAt(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function describeError(e: ErrorObject, root: unknown): Issue | undefined {
  const path = toPath(e.instancePath);
  const value = valueAt(root, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
      return undefined; // the branch's own errors say what is wrong
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      return { path: join(path, key), message: `unknown field "${key}"` };
    }
    case 'required': {
      const key = String(p.missingProperty);
      return { path: join(path, key), message: `required field "${key}" is missing` };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).join(', ');
      const what = path.endsWith('.op') ? 'operator' : path.endsWith('.kind') ? 'block kind' : 'value';
      return { path, message: `unknown ${what} ${JSON.stringify(value)} (expected one of: ${allowed})` };
    }
    case 'type':
      return { path, message: `must be ${p.type === 'integer' ? 'an integer' : `a ${String(p.type)}`}, got ${JSON.stringify(value)}` };
    case 'minItems':
      return { path, message: `must have at least ${String(p.limit)} item(s)` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'maxLength':
      return { path, message: `must be at most ${String(p.limit)} characters` };
    case 'minimum':
      return { path, message: `must be at least ${String(p.limit)}, got ${JSON.stringify(value)}` };
    case 'maximum': {
      // Durations are bounded per unit, at 100 years.
      const span = /\.(last|from_ago|to_ago)\.amount$/.test(path) ? ' (100 years)' : '';
      return { path, message: `must be at most ${String(p.limit)}${span}, got ${JSON.stringify(value)}` };
    }
    case 'maxItems':
      return { path, message: `must have at most ${String(p.limit)} item(s)` };
    case 'format':
      return { path, message: `must be ${p.format === 'date-time' ? 'an ISO 8601 date-time' : `a ${String(p.format)}`}, got ${JSON.stringify(value)}` };
    case 'pattern':
      if (p.pattern === ONE_LINE_PATTERN) return { path, message: `must not contain control characters (line breaks, tabs, escapes), got ${JSON.stringify(value)}` };
      return { path, message: `${JSON.stringify(value)} does not match ${String(p.pattern)}` };
    default:
      return { path, message: e.message ?? 'is invalid' };
  }
}

/** Ajv's errors for `root` as readable issues with dotted paths, each once (any schema, e.g. an HTTP body's). */
export function issuesFromAjv(errors: readonly ErrorObject[], root: unknown): Issue[] {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  for (const e of errors) {
    const issue = describeError(e, root);
    if (!issue) continue;
    const key = `${issue.path}|${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

/**
 * Structural validation: the JSON is within the size bounds (checked first, without
 * recursion) and has the shape of a segment definition.
 */
export function parseDefinitionShape(input: unknown): Omit<SegmentDefinition, 'id'> & { id?: string } {
  checkDefinitionBounds(input);
  if (!validateShape(input)) {
    const issues = issuesFromAjv(validateShape.errors ?? [], input);
    if (issues.length === 0) issues.push({ path: '', message: 'is not a segment definition' });
    throw SegmataError.fromIssues('invalid_definition', 'invalid segment definition', issues);
  }
  return input as Omit<SegmentDefinition, 'id'> & { id?: string };
}

export { idFromName } from './id.js';

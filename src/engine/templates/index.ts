import type { SegmentDefinition } from '../../definition/ast.js';
import { idFromName, parseDefinitionShape } from '../../definition/parse.js';
import { SegmataError } from '../../errors.js';
import { BEHAVIOR_TEMPLATES } from './catalog/behavior.js';
import { PROFILE_TEMPLATES } from './catalog/profile.js';
import { DEFAULT_LABELS, type Labels } from '../../schema/labels.js';
import { generatedDescription } from './description.js';
import { resolveParams } from './params.js';
import type { Template } from './types.js';

export type { ParamType, ParamValue, ParamValues, Template, TemplateCategory, TemplateParam } from './types.js';
export { parseParam } from './params.js';
export { followDescription, generatedDescription } from './description.js';

/** Segment templates shipped out of the box, as the product Segmata replaces does. */
const TEMPLATES: readonly Template[] = [...PROFILE_TEMPLATES, ...BEHAVIOR_TEMPLATES];

export function listTemplates(): readonly Template[] {
  return TEMPLATES;
}

export function getTemplate(name: string): Template {
  const found = TEMPLATES.find((t) => t.name === name);
  if (!found) {
    const names = TEMPLATES.map((t) => t.name).join(', ');
    throw new SegmataError('not_found', `template "${name}" does not exist (templates: ${names})`, [
      { path: 'template', message: `unknown template "${name}"` },
    ]);
  }
  return found;
}

/**
 * A segment definition from a template and text parameters (as given by `--param k=v`).
 * The result is plain definition JSON, validated like any other when it is saved.
 */
export function instantiateTemplate(
  name: string,
  params: Readonly<Record<string, string>>,
  overrides: { id?: string; name?: string } = {},
  labels: Labels = DEFAULT_LABELS,
): SegmentDefinition {
  const template = getTemplate(name);
  const built = template.build(resolveParams(template, params));
  const segmentName = overrides.name ?? built.name;
  // The segment is described by its definition in plain words, which follows the definition
  // through later edits (./description.ts).
  const { name: _generated, ...rest } = built;
  const description = generatedDescription(built.query, labels);
  const def: SegmentDefinition = { id: overrides.id ?? idFromName(segmentName), name: segmentName, ...(description === undefined ? {} : { description }), ...rest };
  checkInstantiated(name, def);
  return def;
}

/**
 * What a template returns unsaved (a preview) holds the bounds of what is saved: parameters
 * such as 10,000,000 days or 20,000 countries are refused here, with the definition's path.
 */
function checkInstantiated(template: string, def: SegmentDefinition): void {
  try {
    parseDefinitionShape(def);
  } catch (e) {
    if (!(e instanceof SegmataError)) throw e;
    throw SegmataError.fromIssues('invalid_argument', `template "${template}": these parameters give an invalid definition`, e.issues);
  }
}

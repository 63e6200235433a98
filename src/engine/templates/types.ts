import type { SegmentDefinition } from '../../definition/ast.js';

/**
 * How a template parameter's text (`--param k=v`, a form field) is read:
 * `string[]` is comma-separated; `interaction_type` and `segment` are names checked when the
 * resulting definition is validated against the schema registry and the saved segments.
 */
export type ParamType = 'string' | 'number' | 'integer' | 'date' | 'string[]' | 'interaction_type' | 'segment';

/** A parsed parameter value. */
export type ParamValue = string | number | string[];

export interface TemplateParam {
  name: string;
  label: string;
  type: ParamType;
  default?: ParamValue;
  /** A required parameter must have a value: given, or its default. */
  required: boolean;
  description: string;
  /** Numbers only: the smallest accepted value. */
  min?: number;
  /** Numbers only: the largest accepted value. */
  max?: number;
}

/** Parsed parameters, by name; optional parameters without a value are absent. */
export type ParamValues = Readonly<Record<string, ParamValue | undefined>>;

/**
 * What a template builds: a definition without an id (the caller names the segment) or a
 * description (the instance gets its definition in plain words, which follows later edits).
 */
export type TemplateOutput = Omit<SegmentDefinition, 'id' | 'description'>;

export type TemplateCategory = 'profile' | 'account' | 'email' | 'events' | 'web' | 'lifecycle';

export interface Template {
  /** Slug, e.g. `email-openers`. */
  name: string;
  title: string;
  description: string;
  category: TemplateCategory;
  params: readonly TemplateParam[];
  build(params: ParamValues): TemplateOutput;
}

import { DEFINITION_LIMITS } from './limits.js';
import { OPERATORS } from './operators.js';

/**
 * JSON Schema (draft 2020-12 subset understood by Ajv) of a segment definition. The same
 * document validates CLI files, API bodies (and feeds the OpenAPI document later).
 * Unions are written as if/then on their tag so errors point at the field at fault.
 */
const duration = {
  type: 'object',
  required: ['amount', 'unit'],
  additionalProperties: false,
  properties: {
    amount: { type: 'integer', minimum: 1 },
    unit: { enum: ['minutes', 'hours', 'days', 'weeks'] },
  },
  // No longer than 100 years, whatever the unit.
  allOf: Object.entries(DEFINITION_LIMITS.maxDuration).map(([unit, max]) => ({
    if: { required: ['unit'], properties: { unit: { const: unit } } },
    then: { properties: { amount: { maximum: max } } },
  })),
};

const condition = {
  $id: 'condition',
  type: 'object',
  if: { required: ['all'] },
  then: {
    required: ['all'],
    additionalProperties: false,
    properties: { all: { type: 'array', minItems: 1, items: { $ref: 'condition' } } },
  },
  else: {
    if: { required: ['any'] },
    then: {
      required: ['any'],
      additionalProperties: false,
      properties: { any: { type: 'array', minItems: 1, items: { $ref: 'condition' } } },
    },
    else: {
      if: { required: ['not'] },
      then: { required: ['not'], additionalProperties: false, properties: { not: { $ref: 'condition' } } },
      else: {
        required: ['attr', 'op'],
        additionalProperties: false,
        properties: {
          attr: { type: 'string', minLength: 1 },
          op: { enum: OPERATORS },
          value: {},
        },
      },
    },
  },
};

const relation = { enum: ['or', 'and_also', 'but_not'] };

const block = {
  $id: 'block',
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['profile', 'behavioral', 'segment', 'group'] } },
  allOf: [
    {
      if: { properties: { kind: { const: 'profile' } } },
      then: {
        required: ['where'],
        additionalProperties: false,
        properties: { kind: {}, relation, where: { $ref: 'condition' } },
      },
    },
    {
      if: { properties: { kind: { const: 'behavioral' } } },
      then: {
        required: ['interaction'],
        additionalProperties: false,
        properties: {
          kind: {},
          relation,
          interaction: { type: 'string', minLength: 1 },
          where: { $ref: 'condition' },
          window: {
            type: 'object',
            if: { required: ['last'] },
            then: { required: ['last'], additionalProperties: false, properties: { last: duration } },
            else: {
              // Relative to now (SPEC §5.5) as soon as either edge of it is named.
              if: { anyOf: [{ required: ['from_ago'] }, { required: ['to_ago'] }] },
              then: {
                required: ['from_ago', 'to_ago'],
                additionalProperties: false,
                properties: { from_ago: duration, to_ago: duration },
              },
              else: {
                required: ['from', 'to'],
                additionalProperties: false,
                properties: { from: { type: 'string' }, to: { type: 'string' } },
              },
            },
          },
          count: {
            type: 'object',
            required: ['op', 'value'],
            additionalProperties: false,
            properties: {
              op: { enum: ['gte', 'gt', 'eq', 'lte', 'lt'] },
              value: { type: 'integer', minimum: 0, maximum: DEFINITION_LIMITS.maxCount },
            },
          },
        },
      },
    },
    {
      if: { properties: { kind: { const: 'segment' } } },
      then: {
        required: ['segment'],
        additionalProperties: false,
        properties: { kind: {}, relation, segment: { type: 'string', minLength: 1 } },
      },
    },
    {
      if: { properties: { kind: { const: 'group' } } },
      then: {
        required: ['blocks'],
        additionalProperties: false,
        properties: { kind: {}, relation, blocks: { type: 'array', minItems: 1, items: { $ref: 'block' } } },
      },
    },
  ],
};

export const SEGMENT_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,63}$';

/**
 * Text shown on one line (a segment's name, a key's name): no control characters. A NUL or a
 * terminal escape in a name would garble lists and the CLI's output.
 */
export const ONE_LINE_PATTERN = '^[^\\u0000-\\u001f\\u007f]*$';

export const segmentDefinitionSchema = {
  $id: 'segment-definition',
  type: 'object',
  required: ['name', 'type'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: SEGMENT_ID_PATTERN },
    name: { type: 'string', minLength: 1, maxLength: 200, pattern: ONE_LINE_PATTERN },
    description: { type: 'string', maxLength: 2000 },
    type: { enum: ['dynamic', 'static', 'compound'] },
    query: {
      type: 'object',
      required: ['blocks'],
      additionalProperties: false,
      properties: { blocks: { type: 'array', minItems: 1, items: { $ref: 'block' } } },
    },
    members: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
};

export const definitionSchemas = [condition, block, segmentDefinitionSchema];

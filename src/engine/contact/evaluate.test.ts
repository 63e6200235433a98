import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../schema/registry.js';
import { DEFAULT_ATTRIBUTES, STANDARD_INTERACTION_TYPES } from '../../schema/defaults.js';
import { TEST_NOW } from '../../../test/helpers/engine.js';
import { contactPickArb, dataSetArb, probeArb, queryArb } from '../../../test/reference/arbitraries.js';
import { referenceMembers, sorted } from '../../../test/reference/evaluator.js';
import { contactData } from '../../../test/helpers/contact-data.js';
import { ContactEvaluator } from './evaluate.js';

/**
 * Per-contact evaluator ≡ reference evaluator (property, in memory). Together with the
 * SQL ≡ reference property (test/differential.test.ts) this makes the two evaluators the
 * engine relies on — set-based SQL and per-contact — agree with each other.
 */

const NOW = new Date(TEST_NOW);
const RUNS = Number(process.env.SEGMATA_PROPERTY_RUNS ?? 300);
const registry = new SchemaRegistry({ attributes: [...DEFAULT_ATTRIBUTES], interactionTypes: [...STANDARD_INTERACTION_TYPES] });

describe('per-contact evaluator ≡ reference evaluator (property)', () => {
  it('gives every contact the verdict the reference gives', () => {
    fc.assert(
      fc.property(dataSetArb(NOW), contactPickArb, fc.oneof(queryArb(NOW, { segments: ['ref-static'], depth: 2 }), probeArb(NOW)), (data, pick, query) => {
        const byContact = contactData(data);
        const staticMembers = pick.filter((id) => byContact.has(id));
        const evaluator = new ContactEvaluator({ registry, now: NOW, segmentMember: (id) => id === 'ref-static' && currentIsStatic() });
        let current = '';
        const currentIsStatic = (): boolean => staticMembers.includes(current);
        const actual: string[] = [];
        for (const [id, d] of byContact) {
          current = id;
          const verdict = evaluator.evaluate(query, d);
          if (verdict.member) actual.push(id);
          // The trace's final running result is the verdict.
          expect(verdict.blocks[verdict.blocks.length - 1]?.running ?? false).toBe(verdict.member);
        }
        const expected = sorted(
          referenceMembers(
            query,
            { contacts: data.contacts ?? [], accounts: data.accounts ?? [], interactions: data.interactions ?? [] },
            { now: NOW, segments: { 'ref-static': { members: staticMembers } } },
          ),
        );
        expect(sorted(actual)).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });
});

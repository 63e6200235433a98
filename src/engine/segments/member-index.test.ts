import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIds } from './member-index.js';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('compareIds', () => {
  it('orders as UTF-8 bytes do (the database\'s order), where JS\'s < does not', () => {
    // U+E000 is EE 80 80, U+1F600 is F0 9F 98 80: bytes put U+E000 first, UTF-16 code units do not.
    expect('cx\u{1F600}' < 'cx\uE000').toBe(true);
    expect(compareIds('cx\uE000', 'cx\u{1F600}')).toBeLessThan(0);
    expect(['b', 'a\u{10000}', 'a\uFFFD', 'a', 'a\uE000'].sort(compareIds)).toEqual(['a', 'a\uE000', 'a\uFFFD', 'a\u{10000}', 'b']);
  });

  it('agrees in sign with a byte comparison of the UTF-8 encodings, for any well-formed strings', () => {
    // Characters from every range that matters: ASCII, Latin, the BMP below and above the surrogates, and beyond it.
    const char = fc.oneof(fc.constantFrom('a', 'z', 'é', '\uD7FF', '\uE000', '\uFFFD', '\uFFFF', '\u{10000}', '\u{1F600}', '\u{10FFFF}'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
    const id = fc.array(char, { maxLength: 6 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(id, id, (a, b) => {
        expect(Math.sign(compareIds(a, b))).toBe(Math.sign(Buffer.compare(utf8(a), utf8(b))));
      }),
      { numRuns: 2000 },
    );
  });
});

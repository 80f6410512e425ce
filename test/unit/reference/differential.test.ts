import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSandboxImageError, parseImageReference, type ImageReference } from '../../../src/index.js';
import { reference } from './arbitraries.js';
import { parseNormalizedNamed } from './docker-reference.js';

const HEX64 = 'c0ffee'.repeat(10) + 'beef';

/** Fragments that meet the grammar's boundaries: separators, hosts, ports, digests, bad characters. */
const TOKENS = [
  'a', 'b', 'z', '0', '9', 'f', 'A', 'Z', '.', '_', '__', '___', '-', '--', '/', '//', ':', '@', '[', ']',
  '::1', '%eth0', '5000', 'localhost', 'docker.io', 'index.docker.io', 'library', 'sha256:', 'sha384:',
  'sha512:', 'md5:', 'SHA256:', HEX64, HEX64.toUpperCase(), HEX64.slice(0, 32), HEX64 + HEX64.slice(0, 32),
  HEX64 + HEX64, 'é', ' ', 'https://', '~', '$', '+', 'a'.repeat(120), 'b/'.repeat(60),
];
const EDIT_CHARACTERS = 'aZ09._-/:@[]%é ';

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));

/** A valid reference with one to three characters inserted, removed or replaced. */
const mutated = fc
  .tuple(reference, fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'remove', 'replace'), fc.constantFrom(...EDIT_CHARACTERS)), { minLength: 1, maxLength: 3 }))
  .map(([generated, edits]) =>
    edits.reduce((text, [position, kind, character]) => {
      const at = text.length === 0 ? 0 : position % text.length;
      if (kind === 'insert') return text.slice(0, at) + character + text.slice(at);
      if (kind === 'remove') return text.slice(0, at) + text.slice(at + 1);
      return text.slice(0, at) + character + text.slice(at + 1);
    }, generated.input),
  );

function parseOrError(input: string): ImageReference | Error {
  try {
    return parseImageReference(input);
  } catch (error) {
    return error as Error;
  }
}

/** Checks that the library accepts exactly what Docker accepts, with the same fields. */
function agreesWithDocker(input: string): void {
  const expected = parseNormalizedNamed(input);
  const actual = parseOrError(input);
  if (expected === undefined) {
    expect(actual, `Docker rejects ${JSON.stringify(input)}`).toBeInstanceOf(Error);
    expect(isSandboxImageError(actual, 'INVALID_REFERENCE'), String(actual)).toBe(true);
    return;
  }

  expect(actual, `Docker accepts ${JSON.stringify(input)}`).not.toBeInstanceOf(Error);
  const parsed = actual as ImageReference;
  expect(parsed.domain).toBe(expected.domain);
  expect(parsed.path).toBe(expected.path);
  expect(parsed.tag).toBe(expected.tag);
  expect(parsed.digest).toBe(expected.digest);
  expect(parsed.normalized).toBe(expected.normalized);

  // The familiar form follows Docker's unless Docker's would parse as a different reference.
  const dockerFamiliarIsExact = parseNormalizedNamed(expected.familiar)?.normalized === expected.normalized;
  expect(parsed.familiar).toBe(dockerFamiliarIsExact ? expected.familiar : expected.normalized);
}

describe('parseImageReference against a port of Docker', () => {
  it('agrees on valid references', () => {
    fc.assert(fc.property(reference, ({ input }) => agreesWithDocker(input)), { numRuns: 2000 });
  }, 60_000);

  it('agrees on edited references', () => {
    fc.assert(fc.property(mutated, agreesWithDocker), { numRuns: 5000 });
  }, 60_000);

  it('agrees on token strings', () => {
    fc.assert(fc.property(tokenSoup, agreesWithDocker), { numRuns: 5000 });
  }, 60_000);

  it('agrees on the edge cases', () => {
    const cases = [
      'docker.io/foo.bar/baz', 'docker.io/localhost/app', `docker.io/${HEX64}`, HEX64, `${HEX64}:tag`,
      '[fe80::1%eth0]:5000/repo', '[::1]:5000/x', 'Docker/docker', 'index.docker.io/ubuntu', 'localhost:5000',
      `ubuntu@sha256:${HEX64}`, `ubuntu@sha256:${HEX64.toUpperCase()}`, `ubuntu@constructor:${HEX64}`,
    ];
    for (const input of cases) agreesWithDocker(input);
  });
});

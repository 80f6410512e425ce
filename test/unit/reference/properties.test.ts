import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getNewImageName, parseImageReference } from '../../../src/index.js';
import { canonicalBaseReference } from '../../../src/reference/derived-name.js';
import { fingerprint, namespaceComponent, pathComponent, reference, suffixOf, tag } from './arbitraries.js';

describe('reference properties', () => {
  it('parses generated references into their parts', () => {
    fc.assert(
      fc.property(reference, (generated) => {
        const parsed = parseImageReference(generated.input);
        expect(parsed.domain).toBe(generated.domain === 'index.docker.io' ? 'docker.io' : generated.domain);
        expect(parsed.path).toBe(generated.path);
        expect(parsed.tag).toBe(generated.tag);
        expect(parsed.digest).toBe(generated.digest);
        expect(parsed.name).toBe(`${parsed.domain}/${parsed.path}`);
        expect(parsed.normalized).toBe(`${parsed.name}${suffixOf(generated)}`);
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it('round-trips the normalized form', () => {
    fc.assert(
      fc.property(reference, (generated) => {
        const parsed = parseImageReference(generated.input);
        const again = parseImageReference(parsed.normalized);
        expect(again.domain).toBe(parsed.domain);
        expect(again.path).toBe(parsed.path);
        expect(again.tag).toBe(parsed.tag);
        expect(again.digest).toBe(parsed.digest);
        expect(again.name).toBe(parsed.name);
        expect(again.normalized).toBe(parsed.normalized);
        expect(again.familiar).toBe(parsed.familiar);
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it('normalises the familiar form the same', () => {
    fc.assert(
      fc.property(reference, (generated) => {
        const parsed = parseImageReference(generated.input);
        const familiar = parseImageReference(parsed.familiar);
        expect(familiar.normalized).toBe(parsed.normalized);
        expect(familiar.familiar).toBe(parsed.familiar);
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it('derives names that parse with a short tag', () => {
    fc.assert(
      fc.property(reference, fingerprint, (generated, recipe) => {
        const name = getNewImageName(generated.input, { fingerprint: recipe });
        const parsed = parseImageReference(name);
        expect(parsed.name).toBe('localhost/sandbox-image');
        expect(parsed.digest).toBeUndefined();
        expect(parsed.tag).toMatch(/^\w[\w.-]*-[0-9a-f]{20}$/);
        expect(parsed.tag!.length).toBeLessThanOrEqual(128);
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it('derives names purely', () => {
    fc.assert(
      fc.property(reference, fingerprint, (generated, recipe) => {
        const name = getNewImageName(generated.input, { fingerprint: recipe });
        expect(getNewImageName(generated.input, { fingerprint: recipe })).toBe(name);
        expect(getNewImageName(parseImageReference(generated.input), { fingerprint: recipe })).toBe(name);
        expect(getNewImageName(parseImageReference(generated.input).normalized, { fingerprint: recipe })).toBe(name);
        expect(getNewImageName(parseImageReference(generated.input).familiar, { fingerprint: recipe })).toBe(name);
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  it('gives distinct canonical inputs distinct names', () => {
    fc.assert(
      fc.property(reference, reference, fingerprint, fingerprint, (first, second, firstRecipe, secondRecipe) => {
        const firstKey = JSON.stringify([canonicalBaseReference(parseImageReference(first.input)), firstRecipe]);
        const secondKey = JSON.stringify([canonicalBaseReference(parseImageReference(second.input)), secondRecipe]);
        const firstName = getNewImageName(first.input, { fingerprint: firstRecipe });
        const secondName = getNewImageName(second.input, { fingerprint: secondRecipe });
        expect(firstName === secondName).toBe(firstKey === secondKey);
      }),
      { numRuns: 1000 },
    );
  }, 30_000);

  it('gives respellings of a Docker Hub name one name', () => {
    const respelled = fc.tuple(pathComponent, fc.option(tag, { nil: undefined }), fc.constantFrom('', 'docker.io/', 'index.docker.io/', 'library/', 'docker.io/library/', 'index.docker.io/library/'));
    fc.assert(
      fc.property(respelled, ([name, optionalTag, prefix]) => {
        const plain = getNewImageName(`${name}:${optionalTag ?? 'latest'}`);
        expect(getNewImageName(`${prefix}${name}${optionalTag === undefined ? '' : `:${optionalTag}`}`)).toBe(plain);
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  it('separates nearby spellings', () => {
    const nearby = fc.tuple(namespaceComponent, pathComponent).filter(([left, right]) => left !== right);
    fc.assert(
      fc.property(nearby, ([left, right]) => {
        expect(getNewImageName(`${left}__${right}:x`)).not.toBe(getNewImageName(`${left}:${right}__x`));
        expect(getNewImageName(`${left}/${right}`)).not.toBe(getNewImageName(`${left}-${right}`));
        expect(getNewImageName(`${left}:${right}`)).not.toBe(getNewImageName(`${right}:${left}`));
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getNewImageName, parseImageReference } from '../../../src/index.js';
import { canonicalBaseReference } from '../../../src/reference/derived-name.js';

/** A generated reference with the fields Docker's `ParseNormalizedNamed` gives it. */
interface GeneratedReference {
  input: string;
  domain: string;
  path: string;
  tag: string | undefined;
  digest: string | undefined;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED = `${LOWER}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;
const HEX = '0123456789abcdef';

function word(alphabet: string, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
}

// Path components: lowercase alphanumerics joined by `.`, `_`, `__` or runs of `-`.
const separator = fc.constantFrom('.', '_', '__', '-', '--', '---');
const pathComponent = fc
  .tuple(word(LOWER, 1, 12), fc.array(fc.tuple(separator, word(LOWER, 1, 12)), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([joiner, part]) => joiner + part).join(''));
/** A first component that Docker does not read as a registry: no `.`, not `localhost`. */
const namespaceComponent = pathComponent.filter((component) => !component.includes('.') && component !== 'localhost');

// Registries: host names, single labels with a port, localhost, IPv4, bracketed IPv6, uppercase labels.
const port = fc.integer({ min: 1, max: 65535 }).map((value) => `:${value}`);
const optionalPort = fc.option(port, { nil: '' });
const domainLabel = fc
  .tuple(word(MIXED, 1, 1), fc.option(fc.tuple(word(`${MIXED}-`, 0, 10), word(MIXED, 1, 1)), { nil: undefined }))
  .map(([first, rest]) => (rest ? first + rest[0] + rest[1] : first));
const hostName = fc
  .tuple(domainLabel, fc.array(domainLabel, { minLength: 1, maxLength: 3 }), optionalPort)
  .map(([first, rest, suffix]) => [first, ...rest].join('.') + suffix);
const labelWithPort = fc.tuple(domainLabel, port).map(([label, suffix]) => label + suffix);
const localhost = optionalPort.map((suffix) => `localhost${suffix}`);
const ipv4 = fc.tuple(fc.ipV4(), optionalPort).map(([address, suffix]) => address + suffix);
const ipv6 = fc
  .tuple(fc.ipV6().filter((address) => !address.includes('.')), optionalPort)
  .map(([address, suffix]) => `[${address}]${suffix}`);
const uppercaseLabel = fc
  .tuple(word('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1, 1), word(MIXED, 0, 8))
  .map(([first, rest]) => first + rest);
const registry = fc.oneof(hostName, labelWithPort, localhost, ipv4, ipv6, uppercaseLabel);

const tag = fc
  .tuple(word(`${MIXED}_`, 1, 1), fc.oneof(word(`${MIXED}_.-`, 0, 20), word(`${MIXED}_.-`, 100, 127)))
  .map(([first, rest]) => first + rest);
const digest = fc.oneof(
  word(HEX, 64, 64).map((hex) => `sha256:${hex}`),
  word(HEX, 96, 96).map((hex) => `sha384:${hex}`),
  word(HEX, 128, 128).map((hex) => `sha512:${hex}`),
);
const suffixParts = fc.record({
  tag: fc.option(tag, { nil: undefined }),
  digest: fc.option(digest, { nil: undefined }),
});

function suffixOf(parts: { tag: string | undefined; digest: string | undefined }): string {
  return (parts.tag === undefined ? '' : `:${parts.tag}`) + (parts.digest === undefined ? '' : `@${parts.digest}`);
}

/** References with an explicit registry; the path may be long enough to reach the 255 limit. */
const withRegistry: fc.Arbitrary<GeneratedReference> = fc
  .tuple(registry, fc.array(pathComponent, { minLength: 1, maxLength: 20 }), suffixParts)
  .map(([domain, components, parts]) => ({ domain, path: components.join('/'), ...parts }))
  .filter(({ path }) => path.length <= 255)
  .map((parts) => ({ ...parts, input: `${parts.domain}/${parts.path}${suffixOf(parts)}` }));

/**
 * Docker Hub references written without a registry, with `docker.io/` or with `index.docker.io/`.
 * Only after an explicit registry may the first of several components look like a host.
 */
const dockerHubComponents = (prefix: string): fc.Arbitrary<string[]> =>
  fc.oneof(
    pathComponent.map((component) => [component]),
    fc
      .tuple(prefix === '' ? namespaceComponent : fc.oneof(pathComponent, fc.constant('localhost')), fc.array(pathComponent, { minLength: 1, maxLength: 3 }))
      .map(([first, rest]) => [first, ...rest]),
  );
const dockerHub: fc.Arbitrary<GeneratedReference> = fc
  .constantFrom('', 'docker.io/', 'index.docker.io/')
  .chain((prefix) => fc.tuple(fc.constant(prefix), dockerHubComponents(prefix), suffixParts))
  .map(([prefix, components, parts]) => {
    const path = components.length === 1 ? `library/${components[0]}` : components.join('/');
    return { domain: 'docker.io', path, ...parts, input: `${prefix}${components.join('/')}${suffixOf(parts)}` };
  })
  .filter(({ path }) => path.length <= 255);

const reference = fc.oneof(withRegistry, dockerHub);
const fingerprint = fc.string({ maxLength: 16 });

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
  });

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
  });

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
  });

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
  });

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
  });

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
  });

  it('gives respellings of a Docker Hub name one name', () => {
    const respelled = fc.tuple(pathComponent, fc.option(tag, { nil: undefined }), fc.constantFrom('', 'docker.io/', 'index.docker.io/', 'library/', 'docker.io/library/', 'index.docker.io/library/'));
    fc.assert(
      fc.property(respelled, ([name, optionalTag, prefix]) => {
        const plain = getNewImageName(`${name}:${optionalTag ?? 'latest'}`);
        expect(getNewImageName(`${prefix}${name}${optionalTag === undefined ? '' : `:${optionalTag}`}`)).toBe(plain);
      }),
      { numRuns: 500 },
    );
  });

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
  });
});

import fc from 'fast-check';

/** Generators of valid image references for the property tests, built part by part. */

/** A generated reference with the fields Docker's `ParseNormalizedNamed` gives it. */
export interface GeneratedReference {
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
export const pathComponent = fc
  .tuple(word(LOWER, 1, 12), fc.array(fc.tuple(separator, word(LOWER, 1, 12)), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([joiner, part]) => joiner + part).join(''));
/** A first component that Docker does not read as a registry: no `.`, not `localhost`. */
export const namespaceComponent = pathComponent.filter((component) => !component.includes('.') && component !== 'localhost');

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

export const tag = fc
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

export function suffixOf(parts: { tag: string | undefined; digest: string | undefined }): string {
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

export const reference = fc.oneof(withRegistry, dockerHub);
export const fingerprint = fc.string({ maxLength: 16 });

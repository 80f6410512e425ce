/**
 * A line-by-line TypeScript port of `ParseNormalizedNamed` and `FamiliarString` from
 * github.com/distribution/reference (regexp.go, reference.go, normalize.go), with the digest
 * check of github.com/opencontainers/go-digest (`Digest.Validate` with the default sha256,
 * sha384 and sha512). The differential test compares the library's parser with it.
 */

/** The fields of a reference as Docker returns them. */
export interface DockerReference {
  domain: string;
  path: string;
  tag: string | undefined;
  digest: string | undefined;
  normalized: string;
  familiar: string;
}

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const optionalPort = '(?::[0-9]+)?';
const tag = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePattern = `(?:${domainAndPort}/)?${remoteName}`;

const referenceRegexp = new RegExp(`^(${namePattern})(?::(${tag}))?(?:@(${digestPattern}))?$`);
const anchoredNameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const anchoredIdentifierRegexp = /^[a-f0-9]{64}$/;

const REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255;
const DIGEST_SIZES: ReadonlyMap<string, number> = new Map([
  ['sha256', 32],
  ['sha384', 48],
  ['sha512', 64],
]);

/** go-digest `Digest.Validate`. */
function isValidDigest(value: string): boolean {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon + 1 === value.length) return false;
  const size = DIGEST_SIZES.get(value.slice(0, colon));
  const encoded = value.slice(colon + 1);
  if (size === undefined) return false;
  if (encoded.length !== size * 2) return false;
  return /^[a-f0-9]+$/.test(encoded);
}

/** `Parse`: returns undefined where Go returns an error. */
function parse(value: string): Omit<DockerReference, 'normalized' | 'familiar'> | undefined {
  if (value === '') return undefined;
  const matches = referenceRegexp.exec(value);
  if (!matches) return undefined;
  const nameMatch = anchoredNameRegexp.exec(matches[1]!)!;
  const domain = nameMatch[1] ?? '';
  const path = nameMatch[2]!;
  if (path.length > REPOSITORY_NAME_TOTAL_LENGTH_MAX) return undefined;
  const digest = matches[3];
  if (digest !== undefined && !isValidDigest(digest)) return undefined;
  return { domain, path, tag: matches[2], digest };
}

/** `splitDockerDomain`. */
function splitDockerDomain(name: string): [domain: string, remoteName: string] {
  const slash = name.indexOf('/');
  if (slash === -1) return ['docker.io', `library/${name}`];
  const maybeDomain = name.slice(0, slash);
  const maybeRemoteName = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === 'localhost') [domain, remote] = [maybeDomain, maybeRemoteName];
  else if (maybeDomain === 'index.docker.io') [domain, remote] = ['docker.io', maybeRemoteName];
  else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, maybeRemoteName];
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, maybeRemoteName];
  else [domain, remote] = ['docker.io', name];
  if (domain === 'docker.io' && !remote.includes('/')) remote = `library/${remote}`;
  return [domain, remote];
}

/** `familiarizeName`, followed by the tag and digest as `FamiliarString` prints them. */
/** `repository.Name`: the path alone when the domain is empty. */
function nameOf(domain: string, path: string): string {
  return domain === '' ? path : `${domain}/${path}`;
}

function familiarString(domain: string, path: string, suffix: string): string {
  if (domain !== 'docker.io') return nameOf(domain, path) + suffix;
  const remainder = path.startsWith('library/') ? path.slice('library/'.length) : path;
  return (remainder.includes('/') ? path : remainder) + suffix;
}

/** `ParseNormalizedNamed` with `String()` and `FamiliarString()`: undefined where Go returns an error. */
export function parseNormalizedNamed(value: string): DockerReference | undefined {
  if (anchoredIdentifierRegexp.test(value)) return undefined;
  const [domain, remainder] = splitDockerDomain(value);
  const tagSeparator = remainder.indexOf(':');
  const remote = tagSeparator > -1 ? remainder.slice(0, tagSeparator) : remainder;
  if (remote.toLowerCase() !== remote) return undefined;

  const parsed = parse(`${domain}/${remainder}`);
  if (parsed === undefined) return undefined;
  const suffix = (parsed.tag === undefined ? '' : `:${parsed.tag}`) + (parsed.digest === undefined ? '' : `@${parsed.digest}`);
  return {
    ...parsed,
    normalized: nameOf(parsed.domain, parsed.path) + suffix,
    familiar: familiarString(parsed.domain, parsed.path, suffix),
  };
}

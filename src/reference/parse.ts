import { checkWholeInput } from './characters.js';
import { checkDomain, checkLeadingIpv6Host, checkPath, checkTag, isValidHost, pathComponentProblem } from './components.js';
import { checkDigest } from './digest.js';
import { invalidReference } from './invalid-reference.js';

export { MAX_PATH_LENGTH, MAX_TAG_LENGTH } from './components.js';

/**
 * A parsed image reference, with the semantics of `ParseNormalizedNamed` in Docker's
 * reference grammar (github.com/distribution/reference).
 */
export interface ImageReference {
  /** The input as given. */
  readonly input: string;
  /**
   * Registry host with optional port, such as `docker.io`, `localhost:5000` or `[::1]:5000`.
   * Empty when the first component contains `.` but is no valid host name, such as
   * `my_registry.local/app`: Docker then keeps the whole name as the path, so such an image
   * can exist locally but cannot be pulled.
   */
  readonly domain: string;
  /** Repository path inside the registry, such as `library/ubuntu` or `team/img`. */
  readonly path: string;
  /** The tag, when one was given; no implicit `latest` is added. */
  readonly tag: string | undefined;
  /** The digest (`algorithm:hex`), when one was given. */
  readonly digest: string | undefined;
  /** `domain/path`, such as `docker.io/library/ubuntu`, or the path alone when the domain is empty. */
  readonly name: string;
  /** The full form: `domain/path[:tag][@digest]`, such as `docker.io/library/ubuntu:22.04`. */
  readonly normalized: string;
  /** The short form Docker prints, such as `ubuntu:22.04` or `localhost:5000/team/img:dev`. */
  readonly familiar: string;
}

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const LOCALHOST = 'localhost';
const OFFICIAL_REPOSITORY_PREFIX = 'library/';
const IMAGE_ID = /^[a-f0-9]{64}$/;

/**
 * Parses an image reference the way Docker does (`ParseNormalizedNamed`).
 *
 * `ubuntu` becomes domain `docker.io`, path `library/ubuntu`. The first `/`-separated
 * component is a registry when it contains `.` or `:`, equals `localhost`, or has an
 * uppercase letter. `index.docker.io` becomes `docker.io`. No `latest` tag is implied.
 *
 * @throws {SandboxImageError} `INVALID_REFERENCE`, naming the input and the part that is wrong.
 */
export function parseImageReference(input: string): ImageReference {
  checkWholeInput(input);
  checkLeadingIpv6Host(input);
  const { nameAndTag, digest } = splitDigest(input);
  const { name, tag } = splitTag(input, nameAndTag);
  const { domain, path } = splitDomain(input, name);

  checkDomain(input, domain);
  checkPath(input, path);
  if (tag !== undefined) checkTag(input, tag);
  if (digest !== undefined) checkDigest(input, digest);

  return buildReference(input, domain, path, tag, digest);
}

function buildReference(
  input: string,
  domain: string,
  path: string,
  tag: string | undefined,
  digest: string | undefined,
): ImageReference {
  const suffix = (tag === undefined ? '' : `:${tag}`) + (digest === undefined ? '' : `@${digest}`);
  const name = domain === '' ? path : `${domain}/${path}`;
  return Object.freeze({
    input,
    domain,
    path,
    tag,
    digest,
    name,
    normalized: name + suffix,
    familiar: familiarString(domain, path, suffix),
  });
}

/**
 * Returns the short form, as Docker's `FamiliarString` does: `docker.io/` is dropped, and
 * `library/` too when one component follows it.
 *
 * NOTE: unlike Docker, the full name is kept when the short form would parse as another
 * reference: a Docker Hub path whose first component looks like a registry
 * (`docker.io/foo.bar/baz` would print as `foo.bar/baz`) or a bare 64-hex image name
 * (would read as an image ID). So the familiar form always parses back to the same reference.
 */
function familiarString(domain: string, path: string, suffix: string): string {
  const name = domain === '' ? path : `${domain}/${path}`;
  if (domain !== DEFAULT_DOMAIN) return name + suffix;

  const remainder = path.startsWith(OFFICIAL_REPOSITORY_PREFIX) ? path.slice(OFFICIAL_REPOSITORY_PREFIX.length) : path;
  const short = remainder.includes('/') ? path : remainder;
  const slash = short.indexOf('/');
  if (slash !== -1 && looksLikeDomain(short.slice(0, slash))) return name + suffix;
  if (IMAGE_ID.test(short + suffix)) return name + suffix;
  return short + suffix;
}

/**
 * Tells whether Docker's `Parse` reads a first component that `splitDockerDomain` took for a
 * registry as a path component instead: no port, no valid host name, but a valid component.
 */
function isPathNotHost(component: string): boolean {
  return !component.includes(':') && !isValidHost(component) && pathComponentProblem(component) === undefined;
}

/** Tells whether Docker reads the first component of a name as a registry rather than as a path component. */
function looksLikeDomain(component: string): boolean {
  return /[.:]/.test(component) || component === LOCALHOST || component.toLowerCase() !== component;
}

function splitDigest(input: string): { nameAndTag: string; digest: string | undefined } {
  const at = input.indexOf('@');
  if (at === -1) return { nameAndTag: input, digest: undefined };
  const digest = input.slice(at + 1);
  if (digest.includes('@')) {
    throw invalidReference(input, 'it contains more than one `@`', 'Keep one `@sha256:<hex>` digest at the end.');
  }
  return { nameAndTag: input.slice(0, at), digest };
}

function splitTag(input: string, nameAndTag: string): { name: string; tag: string | undefined } {
  // A colon after the last slash separates the tag; earlier colons belong to a registry port.
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  if (colon === -1) return { name: nameAndTag, tag: undefined };
  const tag = nameAndTag.slice(colon + 1);
  if (tag.length === 0) {
    throw invalidReference(input, 'the tag after `:` is empty', 'Remove the `:` or add a tag such as `:latest`.');
  }
  return { name: nameAndTag.slice(0, colon), tag };
}

/** Splits off the registry as Docker's `splitDockerDomain` does, and rejects uppercase paths. */
function splitDomain(input: string, name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  if (slash === -1 && name.startsWith('[')) {
    throw invalidReference(
      input,
      'a bracketed IPv6 registry must be followed by `/` and a repository path',
      'Write it as `[2001:db8::1]:5000/team/image`.',
    );
  }
  const first = name.slice(0, slash);
  const hasDomain = slash !== -1 && looksLikeDomain(first);
  const remote = hasDomain ? name.slice(slash + 1) : name;
  checkLowercase(input, remote);
  if (hasDomain && isPathNotHost(first)) return { domain: '', path: name };

  const domain = !hasDomain || first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first;
  const isOfficial = domain === DEFAULT_DOMAIN && remote.length > 0 && !remote.includes('/');
  return { domain, path: isOfficial ? OFFICIAL_REPOSITORY_PREFIX + remote : remote };
}

function checkLowercase(input: string, path: string): void {
  if (path.toLowerCase() === path) return;
  throw invalidReference(
    input,
    `repository name ${JSON.stringify(path)} must be lowercase`,
    `Write it as ${JSON.stringify(path.toLowerCase())}.`,
  );
}

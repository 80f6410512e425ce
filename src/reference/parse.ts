import { SandboxImageError } from '../errors.js';
import { validateDigest } from './digest.js';

/**
 * A parsed image reference, with the semantics of `ParseNormalizedNamed` in Docker's
 * reference grammar (github.com/distribution/reference).
 */
export interface ImageReference {
  /** The input as given. */
  readonly input: string;
  /** Registry host with optional port, such as `docker.io`, `localhost:5000` or `[::1]:5000`. */
  readonly domain: string;
  /** Repository path inside the registry, such as `library/ubuntu` or `team/img`. */
  readonly path: string;
  /** The tag, when one was given; no implicit `latest` is added. */
  readonly tag: string | undefined;
  /** The digest (`algorithm:hex`), when one was given. */
  readonly digest: string | undefined;
  /** `domain/path`, such as `docker.io/library/ubuntu`. */
  readonly name: string;
  /** The full form: `domain/path[:tag][@digest]`, such as `docker.io/library/ubuntu:22.04`. */
  readonly normalized: string;
  /** The short form Docker prints, such as `ubuntu:22.04` or `localhost:5000/team/img:dev`. */
  readonly familiar: string;
}

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPOSITORY_PREFIX = 'library/';

/** Maximum length of a repository path, as in Docker's reference grammar. */
export const MAX_PATH_LENGTH = 255;
/** Maximum length of a tag, as in Docker's reference grammar. */
export const MAX_TAG_LENGTH = 128;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^[\w][\w.-]*$/;
const IMAGE_ID = /^[a-f0-9]{64}$/;

function invalid(input: string, problem: string, fix: string): SandboxImageError {
  return new SandboxImageError(
    'INVALID_REFERENCE',
    `Invalid image reference ${JSON.stringify(input)}: ${problem}. ${fix}`,
    { details: { value: input } },
  );
}

/**
 * Parses an image reference the way Docker does (`ParseNormalizedNamed`).
 *
 * `ubuntu` becomes domain `docker.io`, path `library/ubuntu`; a first component with a `.`
 * or `:`, or equal to `localhost`, is a registry. No `latest` tag is implied.
 *
 * @throws {SandboxImageError} `INVALID_REFERENCE`, naming the input and the part that is wrong.
 */
export function parseImageReference(input: string): ImageReference {
  checkCharacters(input);
  if (IMAGE_ID.test(input)) {
    throw invalid(
      input,
      'a 64-character hexadecimal string is an image ID, not a repository name',
      'Pass the repository name and tag (for example `ubuntu:24.04`) instead of the ID.',
    );
  }

  const { nameAndTag, digest } = splitDigest(input);
  const { name, tag } = splitTag(input, nameAndTag);
  const { domain, path } = splitDomain(input, name);

  checkDomain(input, domain);
  checkPath(input, path);
  if (tag !== undefined) checkTag(input, tag);
  if (digest !== undefined) {
    const problem = validateDigest(digest);
    if (problem) throw invalid(input, `digest ${JSON.stringify(digest)} ${problem}`, 'Copy the digest exactly as the registry prints it.');
  }

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
  const name = `${domain}/${path}`;
  let familiarName = name;
  if (domain === DEFAULT_DOMAIN) {
    familiarName = path.startsWith(OFFICIAL_REPOSITORY_PREFIX) && path.split('/').length === 2
      ? path.slice(OFFICIAL_REPOSITORY_PREFIX.length)
      : path;
  }
  return Object.freeze({
    input,
    domain,
    path,
    tag,
    digest,
    name,
    normalized: name + suffix,
    familiar: familiarName + suffix,
  });
}

function checkCharacters(input: string): void {
  if (input.length === 0) {
    throw invalid(input, 'the reference is empty', 'Name an image such as `debian:bookworm-slim`.');
  }
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(input)) {
    throw invalid(
      input,
      'a URL scheme is not part of an image reference',
      'Remove the scheme: write `registry.example.com/team/image:tag`.',
    );
  }
  const bad = [...input].findIndex((character) => !/^[\x21-\x7e]$/.test(character));
  if (bad !== -1) {
    const character = [...input][bad]!;
    const code = character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw invalid(
      input,
      `character ${JSON.stringify(character)} (U+${code}) at position ${bad + 1} is not allowed; ` +
        'references use lowercase ASCII letters, digits and the separators . _ - / : @',
      'Rename the image with ASCII characters only.',
    );
  }
}

function splitDigest(input: string): { nameAndTag: string; digest: string | undefined } {
  const at = input.indexOf('@');
  if (at === -1) return { nameAndTag: input, digest: undefined };
  const digest = input.slice(at + 1);
  if (digest.includes('@')) {
    throw invalid(input, 'it contains more than one `@`', 'Keep one `@sha256:<hex>` digest at the end.');
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
    throw invalid(input, 'the tag after `:` is empty', 'Remove the `:` or add a tag such as `:latest`.');
  }
  return { name: nameAndTag.slice(0, colon), tag };
}

function splitDomain(input: string, name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const isDomain =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let domain = isDomain ? first : DEFAULT_DOMAIN;
  let path = isDomain ? name.slice(slash + 1) : name;
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (path.toLowerCase() !== path) {
    throw invalid(
      input,
      `repository name ${JSON.stringify(path)} must be lowercase`,
      `Write it as ${JSON.stringify(path.toLowerCase())}.`,
    );
  }
  if (domain === DEFAULT_DOMAIN && path.length > 0 && !path.includes('/')) {
    path = OFFICIAL_REPOSITORY_PREFIX + path;
  }
  return { domain, path };
}

function checkDomain(input: string, domain: string): void {
  const portColon = domain.startsWith('[') ? domain.indexOf(':', domain.indexOf(']')) : domain.indexOf(':');
  const host = portColon === -1 ? domain : domain.slice(0, portColon);
  const port = portColon === -1 ? undefined : domain.slice(portColon + 1);
  const hostIsValid = IPV6_HOST.test(host) || host.split('.').every((part) => DOMAIN_COMPONENT.test(part));
  if (!hostIsValid) {
    throw invalid(
      input,
      `registry host ${JSON.stringify(host)} is not a valid host name or bracketed IPv6 address`,
      'Use a host such as `registry.example.com`, `localhost:5000` or `[::1]:5000`.',
    );
  }
  if (port !== undefined && !PORT.test(port)) {
    throw invalid(input, `registry port ${JSON.stringify(port)} is not a number`, 'Write the port as digits, such as `:5000`.');
  }
}

function checkPath(input: string, path: string): void {
  if (path.length === 0) {
    throw invalid(input, 'the repository name is empty', 'Add a repository name such as `team/image`.');
  }
  if (path.length > MAX_PATH_LENGTH) {
    throw invalid(
      input,
      `the repository path is ${path.length} characters long, more than the maximum of ${MAX_PATH_LENGTH}`,
      'Use a shorter repository path.',
    );
  }
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(
        input,
        `path component ${JSON.stringify(component)} is invalid; components are lowercase letters and ` +
          'digits joined by one `.`, one or two `_`, or one or more `-`, and cannot be empty or start or end with a separator',
        'Fix that component of the repository name.',
      );
    }
  }
}

function checkTag(input: string, tag: string): void {
  if (tag.length > MAX_TAG_LENGTH) {
    throw invalid(
      input,
      `tag is ${tag.length} characters long, more than the maximum of ${MAX_TAG_LENGTH}`,
      'Use a shorter tag or a digest.',
    );
  }
  if (!TAG.test(tag)) {
    throw invalid(
      input,
      `tag ${JSON.stringify(tag)} is invalid; a tag starts with a letter, digit or \`_\` and contains only letters, digits, \`_\`, \`.\` and \`-\``,
      'Fix the tag.',
    );
  }
}

import { invalidReference } from './invalid-reference.js';

/** Maximum length of a repository path (`RepositoryNameTotalLengthMax` in Docker's reference grammar). */
export const MAX_PATH_LENGTH = 255;
/** Maximum length of a tag, as in Docker's reference grammar. */
export const MAX_TAG_LENGTH = 128;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const SEPARATOR = /^(?:[._]|__|-+)$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
/** A bracketed IPv6 address; zone identifiers (`%eth0`) and embedded IPv4 are excluded, as in Docker. */
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^\w[\w.-]*$/;

/**
 * Checks the bracketed IPv6 host at the start of `input` before the reference is split at
 * `@` and `:`, so an invalid address such as `[fe80::1%@zone]` is reported as the host.
 */
export function checkLeadingIpv6Host(input: string): void {
  if (!input.startsWith('[')) return;
  const close = input.indexOf(']');
  const host = close === -1 ? input : input.slice(0, close + 1);
  if (!IPV6_HOST.test(host)) {
    throw invalidReference(
      input,
      `registry host ${JSON.stringify(host)} is not a valid bracketed IPv6 address. Zone identifiers such as \`%eth0\` and embedded IPv4 addresses are not allowed`,
      'Write the address in hexadecimal groups, such as `[2001:db8::1]:5000/team/image`.',
    );
  }
}

/** Tells whether `host` (without port) is a domain name, an IPv4 address or a bracketed IPv6 address. */
export function isValidHost(host: string): boolean {
  return IPV6_HOST.test(host) || host.split('.').every((part) => DOMAIN_COMPONENT.test(part));
}

/**
 * Checks a registry `host[:port]`. The empty domain of a name without registry (see
 * `parseImageReference`) passes.
 */
export function checkDomain(input: string, domain: string): void {
  if (domain === '') return;
  const portColon = domain.startsWith('[') ? domain.indexOf(':', domain.indexOf(']')) : domain.indexOf(':');
  const host = portColon === -1 ? domain : domain.slice(0, portColon);
  const port = portColon === -1 ? undefined : domain.slice(portColon + 1);
  if (!isValidHost(host)) {
    throw invalidReference(
      input,
      `registry host ${JSON.stringify(host)} is not a valid host name or bracketed IPv6 address`,
      'Use a host such as `registry.example.com`, `localhost:5000` or `[::1]:5000`.',
    );
  }
  if (port !== undefined && !PORT.test(port)) {
    throw invalidReference(input, `registry port ${JSON.stringify(port)} is not a number`, 'Write the port as digits, such as `:5000`.');
  }
}

/** Checks a repository path: its length and each `/`-separated component. */
export function checkPath(input: string, path: string): void {
  if (path.length === 0) {
    throw invalidReference(input, 'the repository name is empty', 'Add a repository name such as `team/image`.');
  }
  if (path.length > MAX_PATH_LENGTH) {
    throw invalidReference(
      input,
      `the repository path is ${path.length} characters long, more than the maximum of ${MAX_PATH_LENGTH}`,
      'Use a shorter repository path.',
    );
  }
  for (const component of path.split('/')) {
    const problem = pathComponentProblem(component);
    if (problem !== undefined) {
      throw invalidReference(
        input,
        `${problem}. A path component is lowercase letters and digits joined by one \`.\`, one or two \`_\`, or one or more \`-\``,
        'Fix that part of the repository name.',
      );
    }
  }
}

/** Says what is wrong with one path component, or returns `undefined` when it is valid. */
export function pathComponentProblem(component: string): string | undefined {
  if (PATH_COMPONENT.test(component)) return undefined;
  const quoted = JSON.stringify(component);
  if (component.length === 0) return 'the repository path has an empty component (a leading, trailing or doubled `/`)';

  const badCharacter = /[^a-z0-9._-]/.exec(component);
  if (badCharacter) return `path component ${quoted} contains ${JSON.stringify(badCharacter[0])}, which is not allowed`;
  if (/^[._-]/.test(component)) return `path component ${quoted} starts with a separator`;
  if (/[._-]$/.test(component)) return `path component ${quoted} ends with a separator`;

  const separator = (component.match(/[._-]+/g) ?? []).find((run) => !SEPARATOR.test(run));
  return `path component ${quoted} contains the separator ${JSON.stringify(separator)}, which is not allowed`;
}

/** Checks a tag: at most 128 word characters, `.` and `-`, not starting with `.` or `-`. */
export function checkTag(input: string, tag: string): void {
  if (tag.length > MAX_TAG_LENGTH) {
    throw invalidReference(
      input,
      `the tag is ${tag.length} characters long, more than the maximum of ${MAX_TAG_LENGTH}`,
      'Use a shorter tag or a digest.',
    );
  }
  if (!TAG.test(tag)) {
    throw invalidReference(
      input,
      `tag ${JSON.stringify(tag)} is invalid. A tag starts with a letter, digit or \`_\` and contains only letters, digits, \`_\`, \`.\` and \`-\``,
      'Fix the tag.',
    );
  }
}

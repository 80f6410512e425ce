import { invalidReference } from './invalid-reference.js';

/**
 * Hex lengths of the digest algorithms that Docker accepts. go-digest registers sha256, sha384
 * and sha512 by default (blake3 needs an extra import) and rejects any other algorithm as
 * unsupported.
 */
const DIGEST_HEX_LENGTH: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

/** The digest production of Docker's reference grammar: `algorithm:hex`, at least 32 hex digits. */
const DIGEST_FORMAT = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/**
 * Checks a digest `algorithm:hex` the way go-digest's `Digest.Validate` does: a known
 * algorithm, the exact hex length of that algorithm, and lowercase hex digits.
 *
 * @returns `undefined` when the digest is valid, else the reason it is not.
 */
export function validateDigest(digest: string): string | undefined {
  if (!DIGEST_FORMAT.test(digest)) {
    return 'is not of the form `algorithm:hex` with at least 32 hexadecimal digits';
  }
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const expectedLength = DIGEST_HEX_LENGTH.get(algorithm);
  if (expectedLength === undefined) {
    return `uses the unsupported algorithm ${JSON.stringify(algorithm)} (supported: ${[...DIGEST_HEX_LENGTH.keys()].join(', ')})`;
  }
  if (hex.length !== expectedLength) {
    return `has ${hex.length} hexadecimal digits where ${algorithm} needs ${expectedLength}`;
  }
  if (!/^[0-9a-f]+$/.test(hex)) {
    return 'must use lowercase hexadecimal digits';
  }
  return undefined;
}

/** Throws `INVALID_REFERENCE` for `input` when its digest is invalid. */
export function checkDigest(input: string, digest: string): void {
  const problem = validateDigest(digest);
  if (problem !== undefined) {
    throw invalidReference(input, `digest ${JSON.stringify(digest)} ${problem}`, 'Copy the digest exactly as the registry prints it.');
  }
}

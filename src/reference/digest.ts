/** Hex lengths of the digest algorithms that Docker's reference grammar accepts (go-digest). */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = {
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

const DIGEST_FORMAT = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/**
 * Checks a digest `algorithm:hex` the way go-digest does.
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
  const expectedLength = DIGEST_HEX_LENGTH[algorithm];
  if (expectedLength === undefined) {
    return `uses unsupported algorithm ${JSON.stringify(algorithm)} (supported: ${Object.keys(DIGEST_HEX_LENGTH).join(', ')})`;
  }
  if (hex.length !== expectedLength) {
    return `has ${hex.length} hexadecimal digits where ${algorithm} needs ${expectedLength}`;
  }
  if (!/^[0-9a-f]+$/.test(hex)) {
    return 'must use lowercase hexadecimal digits';
  }
  return undefined;
}

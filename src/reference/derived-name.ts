import { createHash } from 'node:crypto';
import { SandboxImageError } from '../errors.js';
import { MAX_TAG_LENGTH } from './components.js';
import { parseImageReference, type ImageReference } from './parse.js';

/** Repository of derived images unless configured; `localhost/` keeps Docker and Podman off Docker Hub. */
export const DEFAULT_IMAGE_REPOSITORY = 'localhost/sandbox-image';

/**
 * Version of the naming scheme and recipe format. Changing it gives every derived image a
 * new name, so images built by an incompatible earlier version are never reused.
 */
export const NAME_FORMAT_VERSION = 1;

const HASH_LENGTH = 20;
const MAX_SLUG_LENGTH = MAX_TAG_LENGTH - HASH_LENGTH - 1;

/** Options of {@link getNewImageName}. */
export interface DerivedNameOptions {
  /**
   * Repository of the derived image, without tag, such as `registry.example.com:5000/team/sandbox`.
   * @default 'localhost/sandbox-image'
   */
  repository?: string;
  /**
   * Fingerprint of the recipe, as returned by `renderSandboxDockerfile`. Two recipes that
   * build different images have different fingerprints.
   * @default ''
   */
  fingerprint?: string;
}

/**
 * Derives the name of the sandbox image for a base image: `<repository>:<slug>-<hash>`.
 *
 * The slug is a readable, length-capped form of the base's familiar name and tag. The hash is
 * the first 80 bits of a SHA-256 over the normalised base reference (with the implicit `latest`
 * made explicit), the recipe fingerprint and {@link NAME_FORMAT_VERSION}. So equivalent
 * references give the same name, and different bases or recipes share one only on a hash
 * collision. The tag never exceeds 128 characters and a digest never appears in it.
 *
 * @throws {SandboxImageError} `INVALID_REFERENCE` when the base or the repository is invalid.
 */
export function getNewImageName(baseImage: string | ImageReference, options: DerivedNameOptions = {}): string {
  const base = typeof baseImage === 'string' ? parseImageReference(baseImage) : baseImage;
  const repository = parseRepository(options.repository ?? DEFAULT_IMAGE_REPOSITORY);
  const hash = createHash('sha256')
    .update(JSON.stringify([NAME_FORMAT_VERSION, canonicalBaseReference(base), options.fingerprint ?? '']))
    .digest('hex')
    .slice(0, HASH_LENGTH);
  return `${repository.familiar}:${slugOf(base)}-${hash}`;
}

/**
 * Returns the normalised reference with `:latest` added when neither a tag nor a digest was
 * given, because Docker resolves `ubuntu` and `ubuntu:latest` to the same image.
 */
export function canonicalBaseReference(base: ImageReference): string {
  if (base.tag === undefined && base.digest === undefined) return `${base.normalized}:latest`;
  return base.normalized;
}

function parseRepository(repository: string): ImageReference {
  const parsed = parseImageReference(repository);
  if (parsed.tag === undefined && parsed.digest === undefined) return parsed;

  // `localhost:5000` alone parses as repository `localhost` with tag `5000`, as in Docker.
  const registryOnly = parsed.digest === undefined && !repository.includes('/') && /^[0-9]+$/.test(parsed.tag!);
  const hint = registryOnly
    ? ` A registry alone is not a repository: write ${JSON.stringify(`${repository}/sandbox-image`)}.`
    : ' Give the repository alone, such as `localhost/sandbox-image`, because the library chooses the tag.';
  throw new SandboxImageError(
    'INVALID_REFERENCE',
    `Invalid image repository ${JSON.stringify(repository)}: it contains a tag or digest.${hint}`,
    { details: { value: repository, key: 'imageRepository' } },
  );
}

/**
 * Builds a readable tag prefix from the familiar name and the tag, with `latest` when neither a
 * tag nor a digest was given, so equivalent references share it. The digest stays out and
 * only the hash covers it.
 */
function slugOf(base: ImageReference): string {
  const suffix = (base.tag === undefined ? '' : `:${base.tag}`) + (base.digest === undefined ? '' : `@${base.digest}`);
  const familiarName = base.familiar.slice(0, base.familiar.length - suffix.length);
  const tag = base.tag ?? (base.digest === undefined ? 'latest' : undefined);
  const readable = tag === undefined ? familiarName : `${familiarName}:${tag}`;
  const slug = readable
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9_]+/, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/[.-]+$/, '');
  return slug.length > 0 ? slug : 'image';
}

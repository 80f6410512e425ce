import type { ImageDetails } from '../engine/types.js';
import { LABEL_PREFIX } from '../recipe/render.js';

/** The labels the library puts on every derived image. */
export const LABELS = {
  version: `${LABEL_PREFIX}version`,
  recipe: `${LABEL_PREFIX}recipe`,
  baseRef: `${LABEL_PREFIX}base.ref`,
  baseId: `${LABEL_PREFIX}base.id`,
  baseDigest: `${LABEL_PREFIX}base.digest`,
  user: `${LABEL_PREFIX}user`,
  uid: `${LABEL_PREFIX}uid`,
  gid: `${LABEL_PREFIX}gid`,
  platform: `${LABEL_PREFIX}platform`,
  /** Repository of the derived name, so `prune` finds untagged images of a repository too. */
  repository: `${LABEL_PREFIX}repository`,
} as const;

/** `os/architecture[/variant]` of an image. */
export function platformOf(image: Pick<ImageDetails, 'os' | 'architecture' | 'variant'>): string {
  return [image.os, image.architecture, image.variant].filter(Boolean).join('/');
}

/** The facts {@link buildTimeLabels} records besides the recipe's own labels. */
export interface BuildTimeFacts {
  version: string;
  base: ImageDetails;
  /** Base repository without tag, such as `docker.io/library/debian`, to pick its repo digest. */
  baseRepository: string;
  platform: string;
  /** Repository of the derived name, such as `localhost/sandbox-image`. */
  repository: string;
}

/** Labels known only at build time, sent with the build request. */
export function buildTimeLabels(facts: BuildTimeFacts): Record<string, string> {
  const digest = repoDigestOf(facts.base, facts.baseRepository);
  return {
    [LABELS.version]: facts.version,
    [LABELS.baseId]: facts.base.id,
    ...(digest ? { [LABELS.baseDigest]: digest } : {}),
    [LABELS.platform]: facts.platform,
    [LABELS.repository]: facts.repository,
  };
}

/**
 * Returns the base's digest in its own repository. An image pulled from several repositories has one
 * repo digest per repository; Docker lists Docker Hub images without the `docker.io/` prefix.
 */
function repoDigestOf(base: ImageDetails, repository: string): string | undefined {
  const familiar = repository.replace(/^docker\.io\/(library\/)?/, '');
  const entry = base.repoDigests.find((item) => {
    const name = item.split('@')[0];
    return name === repository || name === familiar;
  });
  return entry?.split('@')[1];
}

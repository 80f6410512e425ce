import { LABEL_PREFIX } from '../recipe/render.js';
import type { ImageDetails } from '../engine/types.js';

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
} as const;

/** `os/architecture[/variant]` of an image. */
export function platformOf(image: Pick<ImageDetails, 'os' | 'architecture' | 'variant'>): string {
  return [image.os, image.architecture, image.variant].filter(Boolean).join('/');
}

/** Labels known only at build time, sent with the build request. */
export function buildTimeLabels(version: string, base: ImageDetails, platform: string): Record<string, string> {
  const digest = base.repoDigests[0]?.split('@')[1];
  return {
    [LABELS.version]: version,
    [LABELS.baseId]: base.id,
    ...(digest ? { [LABELS.baseDigest]: digest } : {}),
    [LABELS.platform]: platform,
  };
}

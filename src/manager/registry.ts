import { performance } from 'node:perf_hooks';
import { resolveRegistryAuth } from '../engine/credentials.js';
import type { DockerClient } from '../engine/types.js';
import { isSandboxImageError } from '../errors.js';
import { log } from '../log.js';
import { parseImageReference } from '../reference/parse.js';
import { checkFreshness } from './freshness.js';
import type { EnsurePlan, EnsureResult } from './manager.js';
import type { ProgressListener } from './progress.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** A repository on `localhost` without a port is local-only: Podman's convention for images it never pushes. */
export function isRegistryRepository(imageName: string): boolean {
  return parseImageReference(imageName).domain !== 'localhost';
}

/**
 * Pulls the derived image from its registry when the repository is on one and the registry
 * has the tag. Returns `undefined` when the repository is local-only, the registry does not
 * have the tag, or the pulled image is stale for the local base (it is then rebuilt).
 *
 * @throws {SandboxImageError} `PULL_FAILED` naming the registry when it cannot be reached or rejects the credentials.
 */
export async function pullFromRegistryCache(
  client: DockerClient,
  plan: EnsurePlan,
  signal: AbortSignal | undefined,
  emit: ProgressListener,
  env: Environment,
): Promise<Omit<EnsureResult, 'durationMs'> | undefined> {
  if (!isRegistryRepository(plan.imageName) || plan.config.rebuild === 'always') return undefined;
  const domain = parseImageReference(plan.imageName).domain;
  const auth = await resolveRegistryAuth(domain, env);

  if (client.inspectRemoteImage) {
    const digest = await client.inspectRemoteImage(plan.imageName, auth, signal);
    log.pull('registry %s has %s: %s', domain, plan.imageName, digest ?? 'no');
    if (!digest) return undefined;
  }

  const started = performance.now();
  emit({ type: 'pull-started', image: plan.imageName });
  try {
    await client.pullImage(plan.imageName, { auth, signal, onEvent: emit });
  } catch (error) {
    if (isSandboxImageError(error, 'PULL_FAILED') && error.details.statusCode === 404) return undefined;
    throw error;
  }
  emit({ type: 'pull-finished', image: plan.imageName, durationMs: Math.round(performance.now() - started) });

  const pulled = await client.inspectImage(plan.imageName, signal);
  if (!pulled) return undefined;
  const freshness = await checkFreshness(client, pulled, plan.baseReference, plan.config, signal);
  if (!freshness.fresh) {
    emit({ type: 'stale', imageName: plan.imageName, reason: freshness.reason });
    return undefined;
  }
  return { imageName: plan.imageName, imageId: pulled.id, built: false, pulled: true, baseImage: plan.baseReference, baseImageId: freshness.baseImageId };
}

/**
 * Pushes a derived image to its registry.
 *
 * @throws {SandboxImageError} `PUSH_FAILED` naming the registry; the local image stays tagged and usable.
 */
export async function pushDerivedImage(
  client: DockerClient,
  imageName: string,
  signal: AbortSignal | undefined,
  emit: ProgressListener,
  env: Environment,
): Promise<void> {
  const domain = parseImageReference(imageName).domain;
  const auth = await resolveRegistryAuth(domain, env);
  const started = performance.now();
  emit({ type: 'push-started', imageName });
  log.push('Pushing %s to %s…', imageName, domain);
  await client.pushImage(imageName, { auth, signal, onEvent: emit });
  const durationMs = Math.round(performance.now() - started);
  log.push('Pushed %s in %d ms', imageName, durationMs);
  emit({ type: 'push-finished', imageName, durationMs });
}

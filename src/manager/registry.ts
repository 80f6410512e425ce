import { performance } from 'node:perf_hooks';
import { resolveRegistryAuth } from '../engine/credentials.js';
import type { DockerClient, PullOptions, RegistryAuth, RemoteImageLookup } from '../engine/types.js';
import { SandboxImageError, isSandboxImageError } from '../errors.js';
import { log } from '../log.js';
import { parseImageReference } from '../reference/parse.js';
import { checkFreshness } from './freshness.js';
import { LABELS } from './labels.js';
import type { EnsurePlan, EnsureResult } from './manager.js';
import type { ProgressListener } from './progress.js';

type Environment = Readonly<Record<string, string | undefined>>;
type Outcome = Omit<EnsureResult, 'durationMs'>;

const CREDENTIAL_SOURCES = 'DOCKER_AUTH_CONFIG, or auths, credHelpers or credsStore in $DOCKER_CONFIG/config.json (default ~/.docker/config.json)';

/**
 * Returns the registry host that a configured image repository names, such as
 * `registry.example.com:5000` for `registry.example.com:5000/team/sandbox`, else `undefined`.
 *
 * A repository names a registry when its first component contains `.` or `:` or is
 * `localhost`, as in Docker's reference grammar, except bare `localhost`: Podman's convention
 * for images that are never pushed, and the default repository. A repository without a host
 * (`team/sandbox`) stays local too although Docker reads it as Docker Hub; write
 * `docker.io/team/sandbox` to use Docker Hub.
 */
export function registryOf(repository: string): string | undefined {
  const domain = parseImageReference(repository).domain;
  const slash = repository.indexOf('/');
  const first = slash === -1 ? '' : repository.slice(0, slash);
  const explicit = first.includes('.') || first.includes(':') || first === 'localhost';
  return explicit && domain !== '' && domain !== 'localhost' ? domain : undefined;
}

/** Tells whether derived images in this repository are looked up in, pulled from and pushed to a registry. */
export function isRegistryRepository(repository: string): boolean {
  return registryOf(repository) !== undefined;
}

/**
 * Pulls the derived image from its registry when the configured repository is on one and the
 * registry has the tag. Returns `undefined`, and the caller then builds, when the repository
 * is local-only, when `rebuild` is `"always"`, when the registry does not have the tag, or
 * when the pulled image is not reusable because its recipe label differs or it is stale for
 * the local base.
 *
 * The engine's distribution endpoint tells whether the tag exists. Engines without it
 * (Podman) get a pull attempt instead.
 *
 * @throws {SandboxImageError} `PULL_FAILED` naming the registry when it cannot be reached or
 *   rejects the credentials, unless `push` is on: a host that pushes builds instead, and the
 *   push reports the registry. `INVALID_CONFIG` when `push` is on and the repository is local-only.
 */
export async function pullFromRegistryCache(
  client: DockerClient,
  plan: EnsurePlan,
  signal: AbortSignal | undefined,
  emit: ProgressListener,
  env: Environment,
): Promise<Outcome | undefined> {
  const registry = registryOf(plan.config.imageRepository);
  if (!registry) {
    if (plan.config.push) throw localRepositoryError(plan);
    return undefined;
  }
  if (plan.config.rebuild === 'always') return undefined;
  const auth = await resolveRegistryAuth(registry, env);

  try {
    const lookup = await lookUpTag(client, plan.imageName, auth, signal);
    log.pull('registry %s, tag %s: %s', registry, plan.imageName, lookup.status);
    if (lookup.status === 'missing') return undefined;
    const pulled = await pullTag(client, plan.imageName, { platform: plan.config.platform, auth, signal, onEvent: emit }, emit, lookup);
    if (!pulled) return undefined;
  } catch (error) {
    if (!isSandboxImageError(error, 'PULL_FAILED')) throw error;
    const failure = registryError(error, 'PULL_FAILED', registry, { imageName: plan.imageName, address: client.address, auth });
    if (!plan.config.push) throw failure;
    log.pull('%s; building instead, because push is on', failure.message);
    return undefined;
  }
  return reusePulled(client, plan, signal, emit);
}

function lookUpTag(client: DockerClient, imageName: string, auth: RegistryAuth | undefined, signal: AbortSignal | undefined): Promise<RemoteImageLookup> {
  if (!client.inspectRemoteImage) return Promise.resolve({ status: 'unsupported' });
  return client.inspectRemoteImage(imageName, auth, signal);
}

/**
 * Pulls the tag; returns false when it turns out to be missing. Without a lookup (`unsupported`)
 * a failed pull counts as missing, because Podman reports a missing tag and an unreachable
 * registry alike, as an error message inside an HTTP 200 stream.
 */
async function pullTag(client: DockerClient, imageName: string, options: PullOptions, emit: ProgressListener, lookup: RemoteImageLookup): Promise<boolean> {
  const started = performance.now();
  emit({ type: 'pull-started', image: imageName });
  log.pull('Pulling %s…', imageName);
  try {
    await client.pullImage(imageName, options);
  } catch (error) {
    if (!isSandboxImageError(error, 'PULL_FAILED')) throw error;
    if (error.details.statusCode === 404) return false;
    if (lookup.status !== 'unsupported') throw error;
    // NOTE: on an engine without the distribution endpoint, an unreachable registry or rejected credentials lead to a build, not PULL_FAILED.
    log.pull('pull of %s failed without a lookup to tell why (%s); building instead', imageName, error.message);
    return false;
  }
  const durationMs = Math.round(performance.now() - started);
  log.pull('Pulled %s in %d ms', imageName, durationMs);
  emit({ type: 'pull-finished', image: imageName, durationMs });
  return true;
}

/** Checks the pulled image like a local one: the recipe label must match and the base must not have moved. */
async function reusePulled(client: DockerClient, plan: EnsurePlan, signal: AbortSignal | undefined, emit: ProgressListener): Promise<Outcome | undefined> {
  const pulled = await client.inspectImage(plan.imageName, signal);
  if (!pulled) return undefined;
  const recipe = pulled.labels[LABELS.recipe];
  if (recipe !== plan.rendered.fingerprint) {
    emit({ type: 'stale', imageName: plan.imageName, reason: `the registry's image has recipe label ${recipe ?? '(none)'}, not ${plan.rendered.fingerprint}` });
    return undefined;
  }
  const freshness = await checkFreshness(client, pulled, plan.baseReference, plan.config, signal);
  if (!freshness.fresh) {
    emit({ type: 'stale', imageName: plan.imageName, reason: freshness.reason });
    log.pull('pulled %s is stale: %s', plan.imageName, freshness.reason);
    return undefined;
  }
  return { imageName: plan.imageName, imageId: pulled.id, built: false, pulled: true, baseImage: plan.baseReference, baseImageId: freshness.baseImageId };
}

/**
 * Pushes a derived image to its registry, with credentials from the same sources as pulls.
 *
 * @throws {SandboxImageError} `PUSH_FAILED` naming the registry when the image is not local,
 *   its repository is local-only, or the registry cannot be reached or rejects the push. The
 *   local image stays tagged and usable.
 */
export async function pushDerivedImage(
  client: DockerClient,
  imageName: string,
  signal: AbortSignal | undefined,
  emit: ProgressListener,
  env: Environment,
): Promise<void> {
  const registry = parseImageReference(imageName).domain;
  if (registry === 'localhost' || registry === '') {
    throw new SandboxImageError(
      'PUSH_FAILED',
      `Cannot push ${imageName}: its repository names no registry host (a repository on bare localhost is local-only). ` +
        'Set image_repository to a repository on a registry, such as registry.example.com:5000/team/sandbox.',
      { details: { image: imageName, registry } },
    );
  }
  const local = await client.inspectImage(imageName, signal);
  if (!local) {
    throw new SandboxImageError(
      'PUSH_FAILED',
      `Cannot push ${imageName} to ${registry}: the engine at ${client.address} has no image with that name. Run ensure first.`,
      { details: { image: imageName, registry, address: client.address } },
    );
  }

  const auth = await resolveRegistryAuth(registry, env);
  const started = performance.now();
  emit({ type: 'push-started', imageName });
  log.push('Pushing %s to %s…', imageName, registry);
  try {
    await client.pushImage(imageName, { auth, signal, onEvent: emit });
  } catch (error) {
    if (!isSandboxImageError(error, 'PUSH_FAILED')) throw error;
    throw registryError(error, 'PUSH_FAILED', registry, { imageName, address: client.address, auth, localImageId: local.id });
  }
  const durationMs = Math.round(performance.now() - started);
  log.push('Pushed %s in %d ms', imageName, durationMs);
  emit({ type: 'push-finished', imageName, durationMs });
}

/**
 * Restates a pull or push failure with the registry host, what the HTTP status means and
 * the fix. The status is the engine's: on Docker 20.10, 401 means rejected credentials, and
 * 500 an unreachable registry or one that requires credentials that were not sent. Pushes
 * report failures inside the stream, without a status.
 */
function registryError(
  error: SandboxImageError,
  code: 'PULL_FAILED' | 'PUSH_FAILED',
  registry: string,
  context: { imageName: string; address: string; auth: RegistryAuth | undefined; localImageId?: string },
): SandboxImageError {
  const status = error.details.statusCode;
  const rejected = status === 401 || status === 403;
  const noCredentials = context.auth ? '' : `, and no credentials for ${registry} were found`;
  let verdict = `failed the ${code === 'PULL_FAILED' ? 'request' : 'push'}${noCredentials}`;
  if (rejected) verdict = `rejected the credentials (HTTP ${status})`;
  else if (status === 500) verdict = `could not be reached or requires credentials${noCredentials}`;
  const fix = rejected
    ? `Check the credentials for ${registry} in ${CREDENTIAL_SOURCES}.`
    : `Check that the registry runs and that the engine at ${context.address} can reach it, and the credentials for ${registry} in ${CREDENTIAL_SOURCES}.`;
  const kept = context.localImageId ? ` The image stays tagged locally as ${context.imageName} (${context.localImageId}).` : '';
  const cause = error.message.endsWith('.') ? error.message : `${error.message}.`;
  return new SandboxImageError(code, `Registry ${registry} ${verdict}. ${cause}${kept} ${fix}`, {
    cause: error,
    details: { ...error.details, image: context.imageName, registry, address: context.address },
  });
}

function localRepositoryError(plan: EnsurePlan): SandboxImageError {
  const repository = plan.config.imageRepository;
  return new SandboxImageError(
    'INVALID_CONFIG',
    `push is on, but image_repository ${JSON.stringify(repository)} (from ${plan.resolved.sources.imageRepository}) names no registry, so there is nowhere to push. ` +
      'Set image_repository to a repository on a registry, such as registry.example.com:5000/team/sandbox (docker.io/team/sandbox for Docker Hub), or turn push off.',
    { details: { key: 'imageRepository', value: repository, source: plan.resolved.sources.imageRepository } },
  );
}

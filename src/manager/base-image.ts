import { performance } from 'node:perf_hooks';
import type { SandboxConfig } from '../config/types.js';
import { resolveRegistryAuth } from '../engine/credentials.js';
import type { DockerClient, ImageDetails } from '../engine/types.js';
import { SandboxImageError, isSandboxImageError } from '../errors.js';
import { log } from '../log.js';
import type { ImageReference } from '../reference/parse.js';
import type { ProgressListener } from './progress.js';

/**
 * Makes the base image present according to the pull policy and returns its details:
 * `missing` pulls only when absent, `always` pulls first, `never` never pulls.
 *
 * @throws {SandboxImageError} `BASE_IMAGE_NOT_FOUND` when it is absent and may not be pulled,
 *   or when the registry does not have it; `PULL_FAILED` for other pull failures.
 */
export async function ensureBaseImage(
  client: DockerClient,
  base: ImageReference,
  reference: string,
  config: Readonly<SandboxConfig>,
  signal: AbortSignal | undefined,
  emit: ProgressListener,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ImageDetails> {
  if (config.pull !== 'always') {
    const local = await client.inspectImage(reference, signal);
    if (local) return local;
    if (config.pull === 'never') {
      throw new SandboxImageError(
        'BASE_IMAGE_NOT_FOUND',
        `Base image ${base.familiar} is not present on the engine at ${client.address}, and pull is "never". ` +
          `Pull or load it first (docker pull ${base.familiar}), or set pull = "missing".`,
        { details: { image: base.familiar, address: client.address } },
      );
    }
  }

  await pullBase(client, base, reference, config, signal, emit, env);
  const pulled = await client.inspectImage(reference, signal);
  if (pulled) return pulled;
  throw new SandboxImageError(
    'BASE_IMAGE_NOT_FOUND',
    `Base image ${base.familiar} was pulled but the engine at ${client.address} does not list it. Check the platform setting.`,
    { details: { image: base.familiar, address: client.address } },
  );
}

async function pullBase(
  client: DockerClient,
  base: ImageReference,
  reference: string,
  config: Readonly<SandboxConfig>,
  signal: AbortSignal | undefined,
  emit: ProgressListener,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const started = performance.now();
  emit({ type: 'pull-started', image: reference });
  log.pull('Pulling %s…', reference);
  const auth = await resolveRegistryAuth(base.domain, env);
  try {
    await client.pullImage(reference, { platform: config.platform, auth, signal, onEvent: emit });
  } catch (error) {
    log.pull('Pull of %s failed after %d ms: %s', reference, Math.round(performance.now() - started), isSandboxImageError(error) ? error.code : error);
    if (isSandboxImageError(error, 'PULL_FAILED') && error.details.statusCode === 404) {
      throw new SandboxImageError(
        'BASE_IMAGE_NOT_FOUND',
        `Base image ${base.familiar} was not found in its registry (${base.domain}). Check the name and tag.`,
        { cause: error, details: { image: base.familiar, statusCode: 404 } },
      );
    }
    throw error;
  }
  const durationMs = Math.round(performance.now() - started);
  log.pull('Pulled %s in %d ms', reference, durationMs);
  emit({ type: 'pull-finished', image: reference, durationMs });
}

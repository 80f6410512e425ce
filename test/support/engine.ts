import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import { resolveEngineAddress } from '../../src/engine/address.js';
import { packBuildContext } from '../../src/engine/context-tar.js';
import type { DockerClient } from '../../src/engine/types.js';
import { LABELS } from '../../src/manager/labels.js';

/**
 * The engine integration tests run against: Docker by default, or Podman's Docker-compatible
 * API when SANDBOX_IMAGE_TEST_ENGINE=podman (socket from SANDBOX_IMAGE_PODMAN_SOCKET).
 */
export const testEngineKind = process.env.SANDBOX_IMAGE_TEST_ENGINE === 'podman' ? 'podman' : 'docker';

const podmanSocket = process.env.SANDBOX_IMAGE_PODMAN_SOCKET ?? '/run/sandbox-image-podman.sock';

export function createTestDocker(): Dockerode {
  if (testEngineKind === 'podman') return new Dockerode({ socketPath: podmanSocket });
  return new Dockerode(resolveEngineAddress().options);
}

/** Returns the test engine's address as a DOCKER_HOST value, for child processes. */
export function testDockerHost(): string {
  if (testEngineKind === 'podman') return `unix://${podmanSocket}`;
  return resolveEngineAddress().address;
}

/** Returns the environment variable through which the global setup reports an engine's availability. */
export function availabilityVariable(kind: string = testEngineKind): string {
  return `SANDBOX_IMAGE_ENGINE_AVAILABLE_${kind.toUpperCase()}`;
}

/** Whether the test engine responded to a ping in the global setup. */
export const engineAvailable = process.env[availabilityVariable()] === '1';

/** Why integration tests are skipped, for the skip message. */
export const engineSkipReason = process.env[`${availabilityVariable()}_SKIP_REASON`] ?? '';

/**
 * Config for test builds that need no package manager: without sudo the provisioning script
 * installs nothing, so a build takes seconds instead of an apt-get run.
 */
export const NO_PACKAGES = { sudo: 'none' } as const;

/**
 * Returns a recipe step that runs for `seconds` and carries `marker` in its command line, so the
 * build container can be found with {@link containersWithMarker}, and so that no other run's
 * layer cache can satisfy the step.
 */
export function slowStep(seconds: number, marker: string): { run: string; user: 'root' } {
  return { run: `sleep ${seconds}; : ${marker}`, user: 'root' };
}

/** Returns a random hex suffix for names of images, containers and files a test creates. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** Returns a repository unique to one test, so parallel tests never share derived images. */
export function uniqueRepository(label: string): string {
  return `localhost/sandbox-image-test-${label}-${uniqueSuffix()}`;
}

/** Removes every image whose tags start with `repository:`; images are matched by name only. */
export async function removeRepository(docker: Dockerode, repository: string): Promise<void> {
  const images = await docker.listImages({ filters: JSON.stringify({ reference: [`${repository}`] }) });
  for (const image of images) {
    for (const tag of image.RepoTags ?? []) {
      if (tag.startsWith(`${repository}:`)) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    }
  }
  // Untagged derived images of the repository, such as the old image after a stale rebuild.
  for (const image of await docker.listImages({ filters: JSON.stringify({ label: [`${LABELS.repository}=${repository}`] }) })) {
    await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
  }
}

/** Returns the command line of the test engine's CLI, for `run` and `ps`. */
function engineCli(): [string, ...string[]] {
  return testEngineKind === 'podman' ? ['podman', '--runtime', 'runc', '--cgroup-manager', 'cgroupfs'] : ['docker'];
}

/**
 * Podman sets RLIMIT_NOFILE and RLIMIT_NPROC of a new container to its own high defaults,
 * which a host without CAP_SYS_RESOURCE rejects ("error setting rlimit"); these fit any host.
 */
const PODMAN_RUN_LIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

/** Runs a command in a new container of `image` and returns its trimmed stdout. */
export function runInImage(image: string, ...command: string[]): string {
  const [program, ...options] = engineCli();
  const limits = testEngineKind === 'podman' ? PODMAN_RUN_LIMITS : [];
  return execFileSync(program, [...options, 'run', '--rm', ...limits, image, ...command], { encoding: 'utf8' }).trim();
}

/**
 * Containers, build containers included, whose ID, image, command or name contains `marker`.
 * Docker lists the classic builder's containers with `ps -a`, and their command carries the
 * RUN step. Podman lists its build containers only with `ps -a --external`, with the command
 * `buildah` and the name `<base image name>-working-container`, so there the marker must be
 * in the base image's name.
 */
export function containersWithMarker(marker: string): string[] {
  const [program, ...options] = engineCli();
  const external = testEngineKind === 'podman' ? ['--external'] : [];
  const format = '{{.ID}} {{.Image}} {{.Command}} {{.Names}}';
  const list = () => execFileSync(program, [...options, 'ps', '-a', ...external, '--no-trunc', '--format', format], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // `podman ps --external` fails when a build container goes away while it lists, so a failed
  // listing is retried a few times, 200 ms apart.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return list().split('\n').filter((line) => line.includes(marker));
    } catch (error) {
      if (attempt >= 5) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

/** Builds `dockerfile` (no other context) and tags the result `name`; returns its image ID. */
export async function buildTestImage(docker: Dockerode, dockerfile: string, name: string): Promise<string> {
  const context = await packBuildContext(dockerfile, []);
  const stream = await docker.buildImage(Readable.from([Buffer.from(context)]), { t: name, rm: true, forcerm: true });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: Array<{ error?: string }>) => {
      const failure = output.find((message) => message.error);
      if (error || failure) reject(error ?? new Error(failure!.error));
      else resolve();
    });
  });
  const image = await docker.getImage(name).inspect();
  return image.Id;
}

/**
 * IDs of the derived images of `repository`, tagged or dangling, found by the repository
 * label. Intermediate layer images, which the classic builder labels too, are not listed.
 */
export async function derivedImagesOf(docker: Dockerode, repository: string): Promise<string[]> {
  const images = await docker.listImages({ filters: JSON.stringify({ label: [`${LABELS.repository}=${repository}`] }) });
  return images.map((image) => image.Id);
}

/** A client that records the name of every method called on `client`, through the DockerClient interface. */
export function countingClient(client: DockerClient, calls: string[]): DockerClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...inner: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

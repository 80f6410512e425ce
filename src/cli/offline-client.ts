import type { DockerClient } from '../engine/types.js';
import { SandboxImageError } from '../errors.js';

/**
 * An engine client for the commands that need no engine (`render`, `name`, `config`): they
 * then work with no engine and with any DOCKER_HOST, even a malformed one. Every Engine API
 * call rejects, so a code path that reaches the engine fails loudly instead of connecting.
 */
export function offlineClient(command: string): DockerClient {
  const reject = (operation: string) => () =>
    Promise.reject(
      new SandboxImageError(
        'ENGINE_ERROR',
        `The ${command} command does not use the engine, but tried to ${operation}. This is a bug in sandbox-image; please report it.`,
      ),
    );
  return {
    address: `none (the ${command} command does not use the engine)`,
    ping: reject('ping the engine'),
    inspectImage: reject('inspect an image'),
    pullImage: reject('pull an image'),
    buildImage: reject('build an image'),
    tagImage: reject('tag an image'),
    pushImage: reject('push an image'),
    listImages: reject('list images'),
    removeImage: reject('remove an image'),
  };
}

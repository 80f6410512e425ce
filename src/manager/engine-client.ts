import Dockerode from 'dockerode';
import { resolveEngineAddress } from '../engine/address.js';
import { DockerodeClient } from '../engine/dockerode-client.js';
import type { DockerClient } from '../engine/types.js';
import { log } from '../log.js';

/** Either a dockerode instance or any implementation of the library's client interface. */
export type EngineInput = Dockerode | DockerClient;

function isDockerClient(value: EngineInput): value is DockerClient {
  return typeof (value as DockerClient).inspectImage === 'function' && typeof (value as DockerClient).address === 'string';
}

/** Returns a readable address of a dockerode instance, from its modem settings. */
function addressOf(docker: Dockerode): string {
  const modem = (docker as unknown as { modem?: { socketPath?: unknown; host?: unknown; port?: unknown; protocol?: unknown } }).modem;
  if (typeof modem?.socketPath === 'string') return `unix://${modem.socketPath}`;
  if (typeof modem?.host === 'string') return `${String(modem.protocol ?? 'http')}://${modem.host}:${String(modem.port ?? '')}`;
  return 'the engine of the given dockerode client';
}

/**
 * Returns the client to use: the given one, a wrapper around a given dockerode instance, or
 * a new dockerode instance for the resolved engine address.
 */
export function createEngineClient(input: EngineInput | undefined, env: Readonly<Record<string, string | undefined>>): DockerClient {
  if (input && isDockerClient(input)) return input;
  if (input) return new DockerodeClient(input, addressOf(input));
  const resolved = resolveEngineAddress(env);
  log.main('engine: using %s (%s)', resolved.address, resolved.origin);
  return new DockerodeClient(new Dockerode(resolved.options), resolved.address);
}

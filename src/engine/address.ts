import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { SandboxImageError } from '../errors.js';
import { log } from '../log.js';

/** Location of the engine, as dockerode options and a readable address. */
export interface EngineAddress {
  /** Such as `unix:///var/run/docker.sock` or `tcp://10.0.0.5:2376`. */
  address: string;
  /** Origin of the address, such as `DOCKER_HOST` or `default socket`. */
  origin: string;
  options: Dockerode.DockerOptions;
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Resolves the engine address. The first of these wins: `DOCKER_HOST` (unix, tcp with the TLS
 * variables, ssh), then the Docker context named by `DOCKER_CONTEXT` or by `currentContext` in
 * the Docker config, then the first existing socket of {@link socketCandidates}, and finally
 * `/var/run/docker.sock`. Each attempt is logged on the `sandbox-image` debug namespace.
 *
 * @throws {SandboxImageError} `ENGINE_UNAVAILABLE` for a malformed `DOCKER_HOST` or an unknown context.
 */
export function resolveEngineAddress(env: Environment = process.env, home: string = homedir()): EngineAddress {
  if (env.DOCKER_HOST) {
    log.main('engine: DOCKER_HOST=%s', env.DOCKER_HOST);
    return fromHost(env.DOCKER_HOST, 'DOCKER_HOST', env);
  }

  const configDirectory = env.DOCKER_CONFIG ?? join(home, '.docker');
  const contextName = env.DOCKER_CONTEXT || readCurrentContext(configDirectory);
  if (contextName && contextName !== 'default') {
    const origin = env.DOCKER_CONTEXT ? `DOCKER_CONTEXT=${contextName}` : `currentContext ${contextName} in ${configDirectory}/config.json`;
    log.main('engine: Docker context %s (%s)', contextName, origin);
    const context = readContext(configDirectory, contextName);
    return fromHost(context.host, origin, env, context.certificates);
  }
  log.main('engine: no DOCKER_HOST and no Docker context; trying the usual sockets');

  for (const candidate of socketCandidates(env, home)) {
    const exists = existsSync(candidate.path);
    log.main('engine: %s socket %s %s', candidate.origin, candidate.path, exists ? 'exists' : 'not found');
    if (exists) return { address: `unix://${candidate.path}`, origin: candidate.origin, options: { socketPath: candidate.path } };
  }
  const fallback = '/var/run/docker.sock';
  return { address: `unix://${fallback}`, origin: 'default socket', options: { socketPath: fallback } };
}

/**
 * Lists the sockets to try, in order. Rootless Docker and Docker Desktop come first, because a
 * user who runs them means to use them. The system socket follows, and Podman's sockets come
 * last, so they are used only when no Docker socket exists.
 */
export function socketCandidates(env: Environment, home: string): { path: string; origin: string }[] {
  const runtimeDirectory = env.XDG_RUNTIME_DIR;
  return [
    ...(runtimeDirectory ? [{ path: join(runtimeDirectory, 'docker.sock'), origin: 'rootless Docker' }] : []),
    { path: join(home, '.docker', 'run', 'docker.sock'), origin: 'Docker Desktop' },
    { path: join(home, '.docker', 'desktop', 'docker.sock'), origin: 'Docker Desktop' },
    { path: '/var/run/docker.sock', origin: 'default' },
    ...(runtimeDirectory ? [{ path: join(runtimeDirectory, 'podman', 'podman.sock'), origin: 'rootless Podman' }] : []),
    { path: '/run/podman/podman.sock', origin: 'Podman' },
  ];
}

function fromHost(host: string, origin: string, env: Environment, certificates?: string): EngineAddress {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw invalidHost(host, origin);
  }
  switch (url.protocol) {
    case 'unix:':
      return { address: host, origin, options: { socketPath: decodeURIComponent(url.pathname) } };
    case 'npipe:':
      return { address: host, origin, options: { socketPath: host.replace(/^npipe:\/\//, '') } };
    case 'tcp:':
    case 'http:':
    case 'https:':
      return { address: host, origin, options: tcpOptions(url, env, certificates) };
    case 'ssh:':
      return {
        address: host,
        origin,
        options: {
          protocol: 'ssh',
          host: url.hostname,
          port: url.port ? Number(url.port) : 22,
          ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
          sshOptions: { agent: env.SSH_AUTH_SOCK },
        } as Dockerode.DockerOptions,
      };
    default:
      throw invalidHost(host, origin);
  }
}

/**
 * Options for a TCP address. TLS is used when DOCKER_TLS_VERIFY is set (as the docker CLI
 * does, any non-empty value), for `https://`, for port 2376, and when a context has TLS files.
 * Certificates come from the context's TLS directory, else DOCKER_CERT_PATH, else the
 * Docker config directory.
 */
function tcpOptions(url: URL, env: Environment, contextCertificates: string | undefined): Dockerode.DockerOptions {
  const verify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '';
  const certificates = contextCertificates ?? env.DOCKER_CERT_PATH ?? env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const useTls = verify || url.protocol === 'https:' || url.port === '2376' || contextCertificates !== undefined;
  const defaultPort = useTls ? 2376 : 2375;
  const options: Dockerode.DockerOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : defaultPort,
    protocol: useTls ? 'https' : 'http',
  };
  if (useTls) {
    const read = (name: string) => (existsSync(join(certificates, name)) ? readFileSync(join(certificates, name)) : undefined);
    const ca = read('ca.pem');
    const cert = read('cert.pem');
    const key = read('key.pem');
    if (ca) options.ca = ca;
    if (cert) options.cert = cert;
    if (key) options.key = key;
  }
  return options;
}

function invalidHost(host: string, origin: string): SandboxImageError {
  return new SandboxImageError(
    'ENGINE_UNAVAILABLE',
    `Invalid engine address ${JSON.stringify(host)} from ${origin}. ` +
      'Use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host.',
    { details: { address: host, source: origin } },
  );
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function readCurrentContext(configDirectory: string): string | undefined {
  const current = readJson(join(configDirectory, 'config.json'))?.currentContext;
  return typeof current === 'string' ? current : undefined;
}

/**
 * Reads the Docker endpoint of a context from `contexts/meta/<sha256 of its name>/meta.json`,
 * and its TLS directory `contexts/tls/<same hash>/docker` when that exists.
 */
function readContext(configDirectory: string, name: string): { host: string; certificates: string | undefined } {
  const directory = createHash('sha256').update(name).digest('hex');
  const meta = readJson(join(configDirectory, 'contexts', 'meta', directory, 'meta.json'));
  const endpoints = meta?.Endpoints as Record<string, { Host?: unknown }> | undefined;
  const host = endpoints?.docker?.Host;
  const tls = join(configDirectory, 'contexts', 'tls', directory, 'docker');
  if (typeof host === 'string') return { host, certificates: existsSync(tls) ? tls : undefined };
  throw new SandboxImageError(
    'ENGINE_UNAVAILABLE',
    `Docker context ${JSON.stringify(name)} was not found in ${configDirectory}/contexts. ` +
      'Run `docker context ls` to see the contexts, or unset DOCKER_CONTEXT.',
    { details: { value: name } },
  );
}

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { log } from '../log.js';
import type { RegistryAuth } from './types.js';

type Environment = Readonly<Record<string, string | undefined>>;

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** How long a `docker-credential-*` helper may run before it is killed and ignored. */
const HELPER_TIMEOUT_MS = 30_000;

/** Host names under which Docker Hub appears in `auths` and `credHelpers`. */
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** The server address Docker uses for Docker Hub credentials. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

/**
 * Returns the registry host of an `auths` or `credHelpers` key, as the Docker CLI compares
 * them: `https://registry.example.com:5000/v2/` and `registry.example.com:5000` are one host.
 */
function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase();
}

function sameRegistry(key: string, domain: string): boolean {
  const host = hostOf(key);
  const expected = domain.toLowerCase();
  if (DOCKER_HUB_HOSTS.has(expected)) return DOCKER_HUB_HOSTS.has(host);
  return host === expected;
}

function readDockerConfig(env: Environment, home: string): DockerConfigFile | undefined {
  const inline = env.DOCKER_AUTH_CONFIG;
  if (inline) {
    try {
      return JSON.parse(inline) as DockerConfigFile;
    } catch {
      // The value contains secrets, so neither it nor the parser's message (which quotes it) is logged.
      log.pull('DOCKER_AUTH_CONFIG is not valid JSON; it is ignored and the Docker config file is read');
    }
  }
  const path = join(env.DOCKER_CONFIG ?? join(home, '.docker'), 'config.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DockerConfigFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.pull('%s cannot be read as JSON; it is ignored', path);
    return undefined;
  }
}

/**
 * Finds credentials for a registry, in the order the Docker CLI uses: a `credHelpers` entry
 * for the host, else `credsStore`, each through `docker-credential-<name> get`; then `auths`.
 * The config comes from `DOCKER_AUTH_CONFIG` (the JSON of a Docker config file) when set,
 * else from `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`).
 * Credentials are never logged; only where they came from is.
 *
 * @returns `undefined` when no source has credentials for the registry.
 */
export async function resolveRegistryAuth(
  domain: string,
  env: Environment = process.env,
  home: string = homedir(),
): Promise<RegistryAuth | undefined> {
  const config = readDockerConfig(env, home);
  if (!config) return undefined;
  const serveraddress = DOCKER_HUB_HOSTS.has(domain.toLowerCase()) ? DOCKER_HUB_SERVER : domain;

  const helperKey = Object.keys(config.credHelpers ?? {}).find((key) => sameRegistry(key, domain));
  const helper = (helperKey !== undefined ? config.credHelpers?.[helperKey] : undefined) ?? config.credsStore;
  if (helper) {
    const fromHelper = await runCredentialHelper(helper, serveraddress);
    if (fromHelper) {
      log.pull('credentials for %s from docker-credential-%s', domain, helper);
      return fromHelper;
    }
  }

  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (!sameRegistry(key, domain)) continue;
    const auth = authFromEntry(entry, serveraddress);
    if (auth) {
      log.pull('credentials for %s from auths[%s]', domain, key);
      return auth;
    }
  }
  return undefined;
}

/** Reads one `auths` entry: a token, base64 `user:password` in `auth`, or plain fields. */
function authFromEntry(entry: AuthEntry, serveraddress: string): RegistryAuth | undefined {
  if (entry.identitytoken) return { identitytoken: entry.identitytoken, serveraddress };
  if (entry.registrytoken) return { registrytoken: entry.registrytoken, serveraddress };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password, serveraddress };
  return undefined;
}

/**
 * Runs `docker-credential-<helper> get` with the server address on stdin. A missing helper,
 * an unknown server, a non-zero exit or a run longer than 30 s give `undefined`.
 */
function runCredentialHelper(helper: string, server: string): Promise<RegistryAuth | undefined> {
  return new Promise((resolve) => {
    const child = spawn(`docker-credential-${helper}`, ['get'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const timer = setTimeout(() => {
      log.pull('docker-credential-%s get took longer than %d ms; it was stopped', helper, HELPER_TIMEOUT_MS);
      child.kill();
    }, HELPER_TIMEOUT_MS);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // A helper that exits before reading stdin makes the write fail with EPIPE, and its exit code decides the result.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => {
      clearTimeout(timer);
      log.pull('docker-credential-%s could not run: %s', helper, error.message);
      resolve(undefined);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? parseHelperOutput(output, server) : undefined);
    });
    child.stdin.end(server);
  });
}

/** Parses a helper's `{ Username, Secret }`; the user name `<token>` marks an identity token. */
function parseHelperOutput(output: string, server: string): RegistryAuth | undefined {
  try {
    const parsed = JSON.parse(output) as { Username?: string; Secret?: string };
    if (!parsed.Secret) return undefined;
    if (parsed.Username === '<token>') return { identitytoken: parsed.Secret, serveraddress: server };
    return { username: parsed.Username ?? '', password: parsed.Secret, serveraddress: server };
  } catch {
    return undefined;
  }
}

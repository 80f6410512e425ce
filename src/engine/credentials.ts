import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { log } from '../log.js';
import type { RegistryAuth } from './types.js';

type Environment = Readonly<Record<string, string | undefined>>;

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** Names under which a registry may appear in `auths` and `credHelpers`; Docker Hub has several. */
function registryKeys(domain: string): string[] {
  if (domain === 'docker.io') return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  return [domain, `https://${domain}`, `http://${domain}`, `https://${domain}/v1/`, `https://${domain}/v2/`];
}

function readDockerConfig(env: Environment, home: string): DockerConfigFile | undefined {
  const inline = env.DOCKER_AUTH_CONFIG;
  if (inline) {
    try {
      return JSON.parse(inline) as DockerConfigFile;
    } catch {
      log.pull('DOCKER_AUTH_CONFIG is not valid JSON; it is ignored');
    }
  }
  const path = join(env.DOCKER_CONFIG ?? join(home, '.docker'), 'config.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DockerConfigFile;
  } catch {
    return undefined;
  }
}

/**
 * Finds credentials for a registry, from `DOCKER_AUTH_CONFIG` or the Docker config file
 * (`auths`, then `credHelpers`, then `credsStore` through `docker-credential-<name> get`).
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
  const keys = registryKeys(domain);
  const serveraddress = keys[0]!;

  for (const key of keys) {
    const entry = config.auths?.[key];
    if (!entry) continue;
    if (entry.identitytoken) return { identitytoken: entry.identitytoken, serveraddress };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        log.pull('credentials for %s from auths[%s]', domain, key);
        return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress };
      }
    }
    if (entry.username && entry.password) return { username: entry.username, password: entry.password, serveraddress };
  }

  const helper = keys.map((key) => config.credHelpers?.[key]).find(Boolean) ?? config.credsStore;
  if (!helper) return undefined;
  log.pull('credentials for %s from docker-credential-%s', domain, helper);
  return runCredentialHelper(helper, serveraddress);
}

/** Runs `docker-credential-<helper> get`; a missing helper or unknown server gives `undefined`. */
function runCredentialHelper(helper: string, server: string): Promise<RegistryAuth | undefined> {
  return new Promise((resolve) => {
    const child = spawn(`docker-credential-${helper}`, ['get'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => {
      log.pull('docker-credential-%s could not run: %s', helper, error.message);
      resolve(undefined);
    });
    child.on('close', (code) => {
      if (code !== 0) return resolve(undefined);
      try {
        const parsed = JSON.parse(output) as { Username?: string; Secret?: string };
        if (!parsed.Secret) return resolve(undefined);
        if (parsed.Username === '<token>') return resolve({ identitytoken: parsed.Secret, serveraddress: server });
        resolve({ username: parsed.Username ?? '', password: parsed.Secret, serveraddress: server });
      } catch {
        resolve(undefined);
      }
    });
    child.stdin.end(server);
  });
}

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRegistryAuth } from '../../../src/engine/credentials.js';

const REGISTRY = 'registry.example.com:5000';
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

let root: string;
let originalPath: string | undefined;

/** Writes `config` as a Docker config file in a new directory and returns that directory. */
function dockerConfigDirectory(config: unknown): string {
  const directory = mkdtempSync(join(root, 'docker-config-'));
  writeFileSync(join(directory, 'config.json'), JSON.stringify(config));
  return directory;
}

/**
 * Installs `docker-credential-<name>` on PATH: it prints `output` when stdin is `server`,
 * and fails like real helpers ("credentials not found") otherwise.
 */
function installHelper(name: string, server: string, output: unknown): void {
  const script = [
    '#!/bin/sh',
    'read -r requested',
    `if [ "$requested" = '${server}' ]; then`,
    `  printf '%s' '${JSON.stringify(output)}'`,
    'else',
    '  echo "credentials not found in native keychain" >&2',
    '  exit 1',
    'fi',
  ].join('\n');
  const path = join(root, 'bin', `docker-credential-${name}`);
  writeFileSync(path, `${script}\n`);
  chmodSync(path, 0o755);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sandbox-image-credentials-'));
  mkdirSync(join(root, 'bin'));
  originalPath = process.env.PATH;
  process.env.PATH = `${join(root, 'bin')}${delimiter}${originalPath ?? ''}`;
  installHelper('fake-store', REGISTRY, { ServerURL: REGISTRY, Username: 'store-user', Secret: 'store-secret' });
  installHelper('fake-token', REGISTRY, { ServerURL: REGISTRY, Username: '<token>', Secret: 'refresh-token' });
  installHelper('fake-hub', 'https://index.docker.io/v1/', { Username: 'hub-user', Secret: 'hub-secret' });
});

afterAll(() => {
  process.env.PATH = originalPath;
  rmSync(root, { recursive: true, force: true });
});

describe('resolveRegistryAuth', () => {
  it('reads auths from DOCKER_AUTH_CONFIG', async () => {
    const env = { DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { [REGISTRY]: { auth: basic('ci', 'p:ss') } } }) };
    expect(await resolveRegistryAuth(REGISTRY, env, root)).toEqual({ username: 'ci', password: 'p:ss', serveraddress: REGISTRY });
  });

  it.each([`https://${REGISTRY}`, `http://${REGISTRY}/v2/`, `https://${REGISTRY}/v1/`])('matches auths key %s', async (key) => {
    const env = { DOCKER_CONFIG: dockerConfigDirectory({ auths: { [key]: { auth: basic('ci', 'secret') } } }) };
    expect(await resolveRegistryAuth(REGISTRY, env, root)).toMatchObject({ username: 'ci', password: 'secret' });
  });

  it('ignores other hosts and ports', async () => {
    const env = { DOCKER_CONFIG: dockerConfigDirectory({ auths: { 'registry.example.com': { auth: basic('a', 'b') }, [`${REGISTRY}0`]: { auth: basic('c', 'd') } } }) };
    expect(await resolveRegistryAuth(REGISTRY, env, root)).toBeUndefined();
  });

  it('reads ~/.docker/config.json without DOCKER_CONFIG', async () => {
    const home = mkdtempSync(join(root, 'home-'));
    mkdirSync(join(home, '.docker'));
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [REGISTRY]: { username: 'u', password: 'p' } } }));
    expect(await resolveRegistryAuth(REGISTRY, {}, home)).toEqual({ username: 'u', password: 'p', serveraddress: REGISTRY });
  });

  it('returns undefined without a config file', async () => {
    expect(await resolveRegistryAuth(REGISTRY, { DOCKER_CONFIG: join(root, 'absent') }, root)).toBeUndefined();
  });

  it('falls back to the file on invalid DOCKER_AUTH_CONFIG', async () => {
    const env = { DOCKER_AUTH_CONFIG: '{not json', DOCKER_CONFIG: dockerConfigDirectory({ auths: { [REGISTRY]: { auth: basic('f', 'g') } } }) };
    expect(await resolveRegistryAuth(REGISTRY, env, root)).toMatchObject({ username: 'f', password: 'g' });
  });

  it('reads identity tokens', async () => {
    const env = { DOCKER_CONFIG: dockerConfigDirectory({ auths: { [REGISTRY]: { identitytoken: 'oauth-token' } } }) };
    expect(await resolveRegistryAuth(REGISTRY, env, root)).toEqual({ identitytoken: 'oauth-token', serveraddress: REGISTRY });
  });

  it('prefers credHelpers over auths', async () => {
    const config = { credHelpers: { [REGISTRY]: 'fake-store' }, auths: { [REGISTRY]: { auth: basic('stale', 'stale') } } };
    const env = { DOCKER_CONFIG: dockerConfigDirectory(config) };
    expect(await resolveRegistryAuth(REGISTRY, env, root)).toEqual({ username: 'store-user', password: 'store-secret', serveraddress: REGISTRY });
  });

  it('uses credsStore', async () => {
    const env = { DOCKER_CONFIG: dockerConfigDirectory({ credsStore: 'fake-store', auths: { [REGISTRY]: {} } }) };
    expect(await resolveRegistryAuth(REGISTRY, env, root)).toMatchObject({ username: 'store-user' });
  });

  it('maps the <token> user to an identity token', async () => {
    const env = { DOCKER_CONFIG: dockerConfigDirectory({ credHelpers: { [REGISTRY]: 'fake-token' } }) };
    expect(await resolveRegistryAuth(REGISTRY, env, root)).toEqual({ identitytoken: 'refresh-token', serveraddress: REGISTRY });
  });

  it('asks helpers for Docker Hub by its v1 address', async () => {
    const env = { DOCKER_CONFIG: dockerConfigDirectory({ credHelpers: { 'index.docker.io': 'fake-hub' } }) };
    expect(await resolveRegistryAuth('docker.io', env, root)).toEqual({ username: 'hub-user', password: 'hub-secret', serveraddress: 'https://index.docker.io/v1/' });
  });

  it('falls back to auths when the helper has nothing', async () => {
    const config = { credsStore: 'fake-hub', auths: { [REGISTRY]: { auth: basic('file', 'entry') } } };
    const env = { DOCKER_CONFIG: dockerConfigDirectory(config) };
    expect(await resolveRegistryAuth(REGISTRY, env, root)).toMatchObject({ username: 'file', password: 'entry' });
  });

  it('survives a missing helper binary', async () => {
    const env = { DOCKER_CONFIG: dockerConfigDirectory({ credsStore: 'not-installed-anywhere' }) };
    expect(await resolveRegistryAuth(REGISTRY, env, root)).toBeUndefined();
  });
});

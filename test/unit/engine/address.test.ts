import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEngineAddress } from '../../../src/engine/address.js';
import { isSandboxImageError } from '../../../src/errors.js';

let home: string;
let config: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sandbox-image-test-home-'));
  config = join(home, 'docker-config');
  mkdirSync(config);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** Writes a context as the docker CLI stores it: meta.json under the SHA-256 of the name. */
function writeContext(name: string, host: string, withTls = false): void {
  const hash = createHash('sha256').update(name).digest('hex');
  mkdirSync(join(config, 'contexts', 'meta', hash), { recursive: true });
  writeFileSync(join(config, 'contexts', 'meta', hash, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
  if (withTls) {
    mkdirSync(join(config, 'contexts', 'tls', hash, 'docker'), { recursive: true });
    writeFileSync(join(config, 'contexts', 'tls', hash, 'docker', 'ca.pem'), 'context-ca');
  }
}

describe('resolveEngineAddress', () => {
  it('reads a unix DOCKER_HOST', () => {
    const resolved = resolveEngineAddress({ DOCKER_HOST: 'unix:///tmp/engine.sock' }, home);
    expect(resolved.address).toBe('unix:///tmp/engine.sock');
    expect(resolved.origin).toBe('DOCKER_HOST');
    expect(resolved.options.socketPath).toBe('/tmp/engine.sock');
  });

  it('reads a plain tcp DOCKER_HOST', () => {
    const resolved = resolveEngineAddress({ DOCKER_HOST: 'tcp://10.1.2.3:2375' }, home);
    expect(resolved.options).toMatchObject({ host: '10.1.2.3', port: 2375, protocol: 'http' });
  });

  it('uses TLS files from DOCKER_CERT_PATH', () => {
    const certificates = join(home, 'certs');
    mkdirSync(certificates);
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certificates, name), `pem ${name}`);
    const resolved = resolveEngineAddress({ DOCKER_HOST: 'tcp://engine.test:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificates }, home);
    expect(resolved.options).toMatchObject({ host: 'engine.test', port: 2376, protocol: 'https' });
    expect(String(resolved.options.ca)).toBe('pem ca.pem');
    expect(String(resolved.options.cert)).toBe('pem cert.pem');
    expect(String(resolved.options.key)).toBe('pem key.pem');
  });

  it('turns TLS on for DOCKER_TLS_VERIFY on any port', () => {
    const resolved = resolveEngineAddress({ DOCKER_HOST: 'tcp://engine.test:9999', DOCKER_TLS_VERIFY: '1', DOCKER_CONFIG: config }, home);
    expect(resolved.options).toMatchObject({ port: 9999, protocol: 'https' });
  });

  it('reads an ssh DOCKER_HOST', () => {
    const resolved = resolveEngineAddress({ DOCKER_HOST: 'ssh://builder@engine.test:2222', SSH_AUTH_SOCK: '/tmp/agent.sock' }, home);
    expect(resolved.options).toMatchObject({ protocol: 'ssh', host: 'engine.test', port: 2222, username: 'builder' });
    expect((resolved.options as { sshOptions?: { agent?: string } }).sshOptions?.agent).toBe('/tmp/agent.sock');
  });

  it('rejects a malformed DOCKER_HOST', () => {
    const error = (() => {
      try {
        return resolveEngineAddress({ DOCKER_HOST: 'ftp://engine.test' }, home);
      } catch (caught) {
        return caught;
      }
    })();
    expect(isSandboxImageError(error, 'ENGINE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('ftp://engine.test');
  });

  it('prefers DOCKER_HOST over a context', () => {
    writeContext('remote', 'tcp://10.9.9.9:2375');
    const resolved = resolveEngineAddress({ DOCKER_HOST: 'unix:///tmp/x.sock', DOCKER_CONTEXT: 'remote', DOCKER_CONFIG: config }, home);
    expect(resolved.address).toBe('unix:///tmp/x.sock');
  });

  it('reads the context named by DOCKER_CONTEXT', () => {
    writeContext('remote', 'tcp://10.9.9.9:2375');
    const resolved = resolveEngineAddress({ DOCKER_CONTEXT: 'remote', DOCKER_CONFIG: config }, home);
    expect(resolved.address).toBe('tcp://10.9.9.9:2375');
    expect(resolved.origin).toContain('DOCKER_CONTEXT');
  });

  it('reads currentContext from config.json', () => {
    writeContext('desk', 'unix:///tmp/desk.sock');
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'desk' }));
    const resolved = resolveEngineAddress({ DOCKER_CONFIG: config }, home);
    expect(resolved.address).toBe('unix:///tmp/desk.sock');
    expect(resolved.origin).toContain('currentContext');
  });

  it('uses the TLS files of a context', () => {
    writeContext('secure', 'tcp://10.9.9.9:2376', true);
    const resolved = resolveEngineAddress({ DOCKER_CONTEXT: 'secure', DOCKER_CONFIG: config }, home);
    expect(resolved.options.protocol).toBe('https');
    expect(String(resolved.options.ca)).toBe('context-ca');
  });

  it('rejects an unknown context', () => {
    const attempt = () => resolveEngineAddress({ DOCKER_CONTEXT: 'missing', DOCKER_CONFIG: config }, home);
    expect(attempt).toThrow(/missing/);
  });

  it('treats the default context as no context', () => {
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'default' }));
    const runtime = join(home, 'run');
    mkdirSync(runtime);
    writeFileSync(join(runtime, 'docker.sock'), '');
    const resolved = resolveEngineAddress({ DOCKER_CONFIG: config, XDG_RUNTIME_DIR: runtime }, home);
    expect(resolved.address).toBe(`unix://${join(runtime, 'docker.sock')}`);
  });

  it('tries rootless before Docker Desktop', () => {
    const runtime = join(home, 'run');
    mkdirSync(runtime);
    writeFileSync(join(runtime, 'docker.sock'), '');
    mkdirSync(join(home, '.docker', 'run'), { recursive: true });
    writeFileSync(join(home, '.docker', 'run', 'docker.sock'), '');
    const resolved = resolveEngineAddress({ XDG_RUNTIME_DIR: runtime }, home);
    expect(resolved.origin).toBe('rootless Docker');
  });

  it('finds the Docker Desktop socket', () => {
    mkdirSync(join(home, '.docker', 'run'), { recursive: true });
    writeFileSync(join(home, '.docker', 'run', 'docker.sock'), '');
    const resolved = resolveEngineAddress({}, home);
    expect(resolved.address).toBe(`unix://${join(home, '.docker', 'run', 'docker.sock')}`);
    expect(resolved.origin).toBe('Docker Desktop');
  });

  it('falls back to /var/run/docker.sock', () => {
    const resolved = resolveEngineAddress({ XDG_RUNTIME_DIR: join(home, 'nothing') }, home);
    expect(resolved.address).toBe('unix:///var/run/docker.sock');
  });
});

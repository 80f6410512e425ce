import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerodeClient } from '../../../src/engine/dockerode-client.js';
import { SandboxImageError, isSandboxImageError } from '../../../src/errors.js';

/** A Docker-style reply to one request: status and JSON body. */
type Reply = { status: number; body: unknown };

/**
 * A stand-in Engine API on a Unix socket. `GET /version` returns `version`; the distribution
 * endpoint returns `distribution`. Requests are recorded with their registry auth header.
 */
async function startEngine(version: unknown, distribution: Reply): Promise<{ client: DockerodeClient; requests: Array<{ url: string; auth: string | undefined }>; close(): void }> {
  const directory = mkdtempSync(join(tmpdir(), 'sandbox-image-engine-'));
  const socketPath = join(directory, 'engine.sock');
  const requests: Array<{ url: string; auth: string | undefined }> = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push({ url: request.url ?? '', auth: request.headers['x-registry-auth'] as string | undefined });
    const reply: Reply = request.url?.endsWith('/version') ? { status: 200, body: version } : distribution;
    response.writeHead(reply.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const client = new DockerodeClient(new Dockerode({ socketPath }), `unix://${socketPath}`);
  return {
    client,
    requests,
    close: () => {
      server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

const DOCKER_VERSION = { ApiVersion: '1.41', Components: [{ Name: 'Engine', Version: '20.10.24' }] };
const PODMAN_VERSION = { ApiVersion: '1.41', Components: [{ Name: 'Podman Engine', Version: '4.3.1' }] };
const IMAGE = '127.0.0.1:5000/team/sandbox:tag';

const engines: Array<{ close(): void }> = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
});

async function lookUp(version: unknown, distribution: Reply) {
  const engine = await startEngine(version, distribution);
  engines.push(engine);
  const outcome = await engine.client.inspectRemoteImage(IMAGE, { username: 'ci', password: 'secret', serveraddress: '127.0.0.1:5000' }).catch((error: unknown) => error);
  return { outcome, requests: engine.requests };
}

describe('DockerodeClient.inspectRemoteImage', () => {
  it('returns the digest on 200', async () => {
    const { outcome, requests } = await lookUp(DOCKER_VERSION, { status: 200, body: { Descriptor: { digest: 'sha256:abc' } } });
    expect(outcome).toEqual({ status: 'found', digest: 'sha256:abc' });
    expect(requests.at(-1)?.url).toContain(`/distribution/${IMAGE}/json`);
    const auth = JSON.parse(Buffer.from(requests.at(-1)!.auth!, 'base64url').toString('utf8')) as Record<string, string>;
    expect(auth.username).toBe('ci');
  });

  it('returns missing on 404', async () => {
    const { outcome } = await lookUp(DOCKER_VERSION, { status: 404, body: { message: 'manifest unknown' } });
    expect(outcome).toEqual({ status: 'missing' });
  });

  it.each([401, 500])('rejects HTTP %i with PULL_FAILED', async (status) => {
    const { outcome } = await lookUp(DOCKER_VERSION, { status, body: { message: 'any text' } });
    expect(isSandboxImageError(outcome, 'PULL_FAILED')).toBe(true);
    expect((outcome as SandboxImageError).details.statusCode).toBe(status);
  });

  it('reports unsupported on Podman', async () => {
    const { outcome, requests } = await lookUp(PODMAN_VERSION, { status: 404, body: { message: 'Not Found' } });
    expect(outcome).toEqual({ status: 'unsupported' });
    expect(requests.some((request) => request.url.includes('/distribution/'))).toBe(false);
  });

  it('reports unsupported before API 1.30', async () => {
    const { outcome } = await lookUp({ ApiVersion: '1.29' }, { status: 200, body: {} });
    expect(outcome).toEqual({ status: 'unsupported' });
  });

  it('asks for the version once', async () => {
    const engine = await startEngine(DOCKER_VERSION, { status: 404, body: {} });
    engines.push(engine);
    await engine.client.inspectRemoteImage(IMAGE);
    await engine.client.inspectRemoteImage(IMAGE);
    expect(engine.requests.filter((request) => request.url.endsWith('/version'))).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { toEngineError } from '../../../src/engine/engine-errors.js';
import { SandboxImageError } from '../../../src/errors.js';
import { engineError } from '../../support/fake-docker-client.js';

const context = { address: 'unix:///var/run/docker.sock', operation: 'pull x', code: 'PULL_FAILED' as const };

function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('toEngineError', () => {
  it('maps socket codes to ENGINE_UNAVAILABLE', () => {
    for (const code of ['ENOENT', 'ECONNREFUSED', 'EACCES']) {
      const error = toEngineError(socketError(code, 'anything'), context);
      expect(error.code).toBe('ENGINE_UNAVAILABLE');
      expect(error.message).toContain('unix:///var/run/docker.sock');
      expect(error.details.address).toBe('unix:///var/run/docker.sock');
    }
  });

  it('ignores message text', () => {
    const misleading = toEngineError(engineError(500, 'connect ECONNREFUSED: Cannot connect to the Docker daemon'), context);
    expect(misleading.code).toBe('PULL_FAILED');
    expect(misleading.details.statusCode).toBe(500);

    const plain = toEngineError(socketError('ENOENT', 'manifest unknown: not found'), context);
    expect(plain.code).toBe('ENGINE_UNAVAILABLE');
  });

  it('keeps the HTTP status and the operation code', () => {
    const notFound = toEngineError(engineError(404, 'pull access denied'), context);
    expect(notFound.code).toBe('PULL_FAILED');
    expect(notFound.details.statusCode).toBe(404);
    expect(notFound.message).toContain('HTTP 404');
    expect(notFound.message).toContain('pull access denied');

    const build = toEngineError(engineError(500, 'x'), { ...context, code: 'BUILD_FAILED' });
    expect(build.code).toBe('BUILD_FAILED');
  });

  it('maps a fired signal to ABORTED', () => {
    const controller = new AbortController();
    controller.abort();
    expect(toEngineError(engineError(500, 'x'), { ...context, signal: controller.signal }).code).toBe('ABORTED');
    const abortError = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    expect(toEngineError(abortError, context).code).toBe('ABORTED');
  });

  it('names a timeout as such', () => {
    const signal = AbortSignal.abort(new DOMException('timed out', 'TimeoutError'));
    const error = toEngineError(new Error('x'), { ...context, signal });
    expect(error.code).toBe('ABORTED');
    expect(error.message).toContain('timeoutMs');
  });

  it('passes library errors through', () => {
    const original = new SandboxImageError('BUILD_FAILED', 'Build failed');
    expect(toEngineError(original, context)).toBe(original);
  });

  it('keeps the cause', () => {
    const cause = engineError(409, 'conflict');
    expect(toEngineError(cause, context).cause).toBe(cause);
  });
});

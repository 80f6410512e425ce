import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/types.js';
import { BuildStreamState, readProgressStream } from '../../../src/engine/progress-stream.js';
import { SandboxImageError, isSandboxImageError } from '../../../src/errors.js';

/** Feeds raw stream text, cut into chunks of `size` characters, through a build state. */
async function parseBuild(text: string, size = text.length): Promise<{ events: EngineEvent[]; imageId?: string; error?: unknown }> {
  const events: EngineEvent[] = [];
  const state = new BuildStreamState((event) => events.push(event));
  const stream = new PassThrough();
  const reading = readProgressStream(stream, (message) => state.handle(message), { operation: 'build' });
  for (let index = 0; index < text.length; index += size) stream.write(text.slice(index, index + size));
  stream.end();
  try {
    await reading;
    return { events, imageId: state.finish() };
  } catch (error) {
    return { events, error };
  }
}

const line = (message: object) => `${JSON.stringify(message)}\r\n`;

const dockerSuccess = [
  line({ stream: 'Step 1/3 : FROM docker.io/library/debian:bookworm-slim\n' }),
  line({ stream: ' ---> a28c0020b76e\n' }),
  line({ stream: 'Step 2/3 : RUN echo hi\n' }),
  line({ stream: 'hi\n' }),
  line({ stream: 'Step 3/3 : LABEL a=b\n' }),
  line({ aux: { ID: 'sha256:' + 'f'.repeat(64) } }),
  line({ stream: 'Successfully built ffffffffffff\n' }),
].join('');

const podmanSuccess = [
  line({ stream: 'STEP 1/3: FROM docker.io/library/debian:bookworm-slim\n' }),
  line({ stream: 'STEP 2/3: RUN echo hello\n' }),
  line({ stream: 'hello\n' }),
  line({ stream: '--> 99d955efece\n' }),
  line({ stream: 'STEP 3/3: LABEL "x"="y"\n' }),
  line({ stream: 'COMMIT\n' }),
  line({ stream: 'b'.repeat(64) + '\n' }),
  line({ aux: { ID: 'sha256:' + 'b'.repeat(64) } }),
  line({ stream: 'Successfully built bbbbbbbbbbbb\n' }),
].join('');

describe('build stream', () => {
  it('reads steps, output and the ID from Docker', async () => {
    const result = await parseBuild(dockerSuccess);
    expect(result.imageId).toBe('sha256:' + 'f'.repeat(64));
    expect(result.events.filter((event) => event.type === 'build-step')).toEqual([
      { type: 'build-step', index: 1, count: 3, instruction: 'FROM docker.io/library/debian:bookworm-slim' },
      { type: 'build-step', index: 2, count: 3, instruction: 'RUN echo hi' },
      { type: 'build-step', index: 3, count: 3, instruction: 'LABEL a=b' },
    ]);
    expect(result.events).toContainEqual({ type: 'build-output', line: 'hi' });
  });

  it('reads Podman STEP lines', async () => {
    const result = await parseBuild(podmanSuccess);
    expect(result.imageId).toBe('sha256:' + 'b'.repeat(64));
    const steps = result.events.filter((event) => event.type === 'build-step');
    expect(steps.map((event) => (event as { instruction: string }).instruction)).toEqual([
      'FROM docker.io/library/debian:bookworm-slim',
      'RUN echo hello',
      'LABEL "x"="y"',
    ]);
  });

  it('gives the same result at any chunk size', async () => {
    const whole = await parseBuild(podmanSuccess);
    for (const size of [1, 2, 7, 33]) expect(await parseBuild(podmanSuccess, size)).toEqual(whole);
  });

  it('joins an output line split over messages', async () => {
    const result = await parseBuild(line({ stream: 'hel' }) + line({ stream: 'lo\nnext\n' }) + line({ aux: { ID: 'sha256:' + 'a'.repeat(64) } }));
    expect(result.events).toEqual([
      { type: 'build-output', line: 'hello' },
      { type: 'build-output', line: 'next' },
    ]);
  });

  it('fails with the step, exit code and tail from Docker', async () => {
    const text = [
      line({ stream: 'Step 2/3 : RUN apt-get install nope\n' }),
      line({ stream: 'E: Unable to locate package nope\n' }),
      line({ errorDetail: { code: 100, message: "The command '/bin/sh -c apt-get install nope' returned a non-zero code: 100" }, error: 'returned a non-zero code: 100' }),
    ].join('');
    const { error } = await parseBuild(text);
    expect(isSandboxImageError(error, 'BUILD_FAILED')).toBe(true);
    const details = (error as SandboxImageError).details;
    expect(details.step).toBe('RUN apt-get install nope');
    expect(details.exitCode).toBe(100);
    expect(details.outputTail).toEqual(['E: Unable to locate package nope']);
    expect((error as Error).message).toContain('E: Unable to locate package nope');
  });

  it('strips escape sequences from output lines', async () => {
    const text = [
      line({ stream: 'Step 2/3 : RUN provision\n' }),
      line({ stream: '\u001b[91msandbox-image: error: UID 1000 already belongs to account ubuntu\n\u001b[0m' }),
      line({ stream: 'progress 10%\rprogress 100%\n' }),
      line({ errorDetail: { code: 1, message: 'returned a non-zero code: 1' }, error: 'returned a non-zero code: 1' }),
    ].join('');
    const { events, error } = await parseBuild(text);
    const lines = ['sandbox-image: error: UID 1000 already belongs to account ubuntu', 'progress 100%'];
    expect(events.filter((event) => event.type === 'build-output')).toEqual(lines.map((text) => ({ type: 'build-output', line: text })));
    expect((error as SandboxImageError).details.outputTail).toEqual(lines);
    expect((error as Error).message).not.toContain('\u001b');
  });

  it('fails with the exit status from Podman', async () => {
    const text = [
      line({ stream: 'STEP 2/3: RUN echo out; exit 7\n' }),
      line({ stream: 'out\n' }),
      line({ errorDetail: { message: 'building at STEP "RUN echo out; exit 7": while running runtime: exit status 7\n' }, error: 'building at STEP' }),
    ].join('');
    const { error } = await parseBuild(text);
    expect(isSandboxImageError(error, 'BUILD_FAILED')).toBe(true);
    expect((error as SandboxImageError).details.exitCode).toBe(7);
    expect((error as SandboxImageError).details.step).toBe('RUN echo out; exit 7');
  });

  it('fails on an error line without errorDetail', async () => {
    const { error } = await parseBuild(line({ error: 'no space left on device' }));
    expect(isSandboxImageError(error, 'BUILD_FAILED')).toBe(true);
    expect((error as Error).message).toContain('no space left on device');
  });

  it('fails when the stream has no image ID', async () => {
    const { error } = await parseBuild(line({ stream: 'Step 1/1 : FROM x\n' }) + line({ stream: 'partial' }));
    expect(isSandboxImageError(error, 'BUILD_FAILED')).toBe(true);
    expect((error as SandboxImageError).details.outputTail).toEqual(['partial']);
  });

  it('takes the classic short ID without aux', async () => {
    const result = await parseBuild(line({ stream: 'Successfully built 0123456789ab\n' }));
    expect(result.imageId).toBe('0123456789ab');
  });

  it('rejects with ABORTED when the signal fires', async () => {
    const stream = new PassThrough();
    const controller = new AbortController();
    const reading = readProgressStream(stream, () => undefined, { operation: 'build', signal: controller.signal });
    stream.write(line({ stream: 'Step 1/2 : FROM x\n' }));
    controller.abort();
    await expect(reading).rejects.toSatisfy((error: unknown) => isSandboxImageError(error, 'ABORTED'));
    expect(stream.destroyed).toBe(true);
  });
});

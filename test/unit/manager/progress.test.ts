import createDebug from 'debug';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/manager/progress.js';
import { BASE_REFERENCE, createFakeSetup, type FakeSetup } from '../../support/fake-manager.js';

let setup: FakeSetup;
let lines: string[];
let previousLog: typeof createDebug.log;
let previousNamespaces: string;

beforeEach(() => {
  setup = createFakeSetup({ withBase: false });
  setup.client.registry.set(BASE_REFERENCE, {});
  lines = [];
  previousLog = createDebug.log;
  previousNamespaces = createDebug.disable();
  createDebug.log = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  createDebug.enable('sandbox-image*');
});

afterEach(() => {
  createDebug.log = previousLog;
  createDebug.disable();
  if (previousNamespaces) createDebug.enable(previousNamespaces);
  setup.cleanup();
});

function linesOf(namespace: string): string[] {
  return lines.filter((line) => line.includes(`${namespace} `));
}

describe('progress', () => {
  it('emits typed events in order', async () => {
    const events: ProgressEvent[] = [];
    await setup.manager().ensure({ onProgress: (event) => events.push(event) });
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('resolved');
    expect(types.at(-1)).toBe('finished');
    expect(types.indexOf('pull-started')).toBeLessThan(types.indexOf('pull-finished'));
    expect(types.indexOf('pull-finished')).toBeLessThan(types.indexOf('build-started'));
    expect(types).toContain('build-step');
    expect(types).toContain('build-output');
    const finished = events.at(-1) as Extract<ProgressEvent, { type: 'finished' }>;
    expect(finished.built).toBe(true);
    expect(finished.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps going when the listener throws', async () => {
    const result = await setup.manager().ensure({
      onProgress: () => {
        throw new Error('listener bug');
      },
    });
    expect(result.built).toBe(true);
  });

  it('writes paired debug lines', async () => {
    await setup.manager().ensure();
    const build = linesOf('sandbox-image:build');
    expect(build.some((line) => line.includes('Building '))).toBe(true);
    expect(build.some((line) => line.includes('Built '))).toBe(true);
    const pull = linesOf('sandbox-image:pull');
    expect(pull.some((line) => line.includes('Pulling '))).toBe(true);
    expect(pull.some((line) => line.includes('Pulled '))).toBe(true);
    const lock = linesOf('sandbox-image:lock');
    expect(lock.some((line) => line.includes('Acquired lock'))).toBe(true);
    expect(lock.some((line) => line.includes('Released lock'))).toBe(true);
    const main = linesOf('sandbox-image');
    expect(main.some((line) => line.includes('Ensuring '))).toBe(true);
    expect(main.some((line) => line.includes('Ensured '))).toBe(true);
    expect(linesOf('sandbox-image:config').length).toBeGreaterThan(0);
  });

  it('closes a failed build with a debug line', async () => {
    setup.client.failNext('buildImage', new Error('engine crashed'));
    await setup.manager().ensure().catch(() => undefined);
    const build = linesOf('sandbox-image:build');
    expect(build.some((line) => line.includes('failed after'))).toBe(true);
    expect(linesOf('sandbox-image').some((line) => line.includes('Ensure of '))).toBe(true);
  });
});

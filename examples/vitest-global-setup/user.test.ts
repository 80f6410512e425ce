import { expect, inject, it } from 'vitest';
import { runInSandbox } from './sandbox.js';

it('runs commands as the sandbox user', async () => {
  const output = await runInSandbox(inject('sandboxImage'), ['id', '-un']);
  expect(output.trim()).toBe('sandbox');
});

it('starts in the workspace', async () => {
  const output = await runInSandbox(inject('sandboxImage'), ['pwd']);
  expect(output.trim()).toBe('/workspace');
});

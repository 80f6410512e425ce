import { expect, inject, it } from 'vitest';
import { runInSandbox } from './sandbox.js';

it('gives the sandbox user passwordless sudo', async () => {
  const output = await runInSandbox(inject('sandboxImage'), ['sudo', '-n', 'id', '-u']);
  expect(output.trim()).toBe('0');
});

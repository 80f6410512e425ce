import { describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_SUCCESS, main } from '../../../src/cli/main.js';
import { fakeIo } from '../cli/fake-io.js';
import { fixture } from './support.js';

const validFile = fixture('opendevin-valid/config.toml');

describe('sandbox-image config', () => {
  it('prints each value with its source', async () => {
    const io = fakeIo({ env: { SANDBOX_USER_ID: '2000' } });
    expect(await main(['config', '--config', validFile], io)).toBe(EXIT_SUCCESS);
    expect(io.out()).toContain(`baseImage = "debian:bookworm-slim"  # config file ${validFile} line 5\n`);
    expect(io.out()).toContain('userId = 2000  # environment variable SANDBOX_USER_ID\n');
    expect(io.out()).toContain('userName = "sandbox"  # the defaults\n');
  });

  it('prints values and sources as JSON', async () => {
    const io = fakeIo();
    expect(await main(['config', '--config', validFile, '--json'], io)).toBe(EXIT_SUCCESS);
    const printed = JSON.parse(io.out()) as { values: { userId: number }; sources: { userId: string }; configFile: string };
    expect(printed.values.userId).toBe(1001);
    expect(printed.sources.userId).toBe(`file:${validFile}:6`);
    expect(printed.configFile).toBe(validFile);
  });

  it('exits 1 on the guide file with the reason', async () => {
    const io = fakeIo({ cwd: fixture('opendevin-guide') });
    expect(await main(['config'], io)).toBe(EXIT_FAILURE);
    expect(io.err()).toContain('INVALID_CONFIG');
    expect(io.err()).toContain('[core] sandbox_container_image');
    expect(io.err()).toContain(`${fixture('opendevin-guide/config.toml')} line 5`);
  });
});

import type { CommandIo } from '../../../src/cli/main.js';

/** A `CommandIo` that records what the program writes, for driving `main()` in tests. */
export interface RecordedIo extends CommandIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function fakeIo(options: { env?: Record<string, string | undefined>; cwd?: string; isTTY?: boolean } = {}): RecordedIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: options.isTTY ?? false, columns: 100 },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
}

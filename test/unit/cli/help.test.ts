import { describe, expect, it } from 'vitest';
import { COMMANDS, COMMAND_OPTIONS, GLOBAL_OPTIONS } from '../../../src/cli/args.js';
import { COMMAND_HELP, PROGRAM_HELP } from '../../../src/cli/help.js';

describe('help text', () => {
  it('lists every command in the program help', () => {
    for (const command of COMMANDS) expect(PROGRAM_HELP).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('documents the exit codes', () => {
    for (const text of [PROGRAM_HELP, ...Object.values(COMMAND_HELP)]) {
      expect(text).toMatch(/^ {2}0 {2}success$/m);
      expect(text).toMatch(/^ {2}1 {2}failure/m);
      expect(text).toMatch(/^ {2}2 {2}usage error/m);
    }
  });

  it.each(COMMANDS)('documents every option of %s', (command) => {
    const help = COMMAND_HELP[command];
    expect(help.startsWith(`Usage: sandbox-image ${command}`)).toBe(true);
    for (const option of [...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command]]) expect(help).toContain(`--${option}`);
  });

  it('documents only options the command takes', () => {
    for (const command of COMMANDS) {
      const documented = [...COMMAND_HELP[command].matchAll(/^ {2}(--[a-z-]+)/gm)].map((match) => match[1]!.slice(2));
      const accepted = new Set<string>([...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command]]);
      expect(documented.filter((option) => !accepted.has(option))).toEqual([]);
    }
  });

  it('keeps lines within 100 columns', () => {
    for (const text of [PROGRAM_HELP, ...Object.values(COMMAND_HELP)]) {
      const long = text.split('\n').filter((line) => line.length > 100);
      expect(long).toEqual([]);
    }
  });
});

import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { locateKeys, pathKey } from '../../../src/config/key-lines.js';
import { fixture } from './support.js';

function lineOf(text: string, ...path: string[]): number | undefined {
  // The scanner runs only on valid TOML, so every sample must parse.
  parse(text);
  return locateKeys(text).get(pathKey(path));
}

describe('locateKeys', () => {
  it('finds keys under a table header', () => {
    const text = '# comment\n[core]\nworkspace_base="./workspace"\nsandbox_user_id="1001"\n';
    expect(lineOf(text, 'core')).toBe(2);
    expect(lineOf(text, 'core', 'workspace_base')).toBe(3);
    expect(lineOf(text, 'core', 'sandbox_user_id')).toBe(4);
  });

  it('finds dotted keys at the root', () => {
    const text = 'title = "x"\nsandbox.user_id = 5\n\n[sandbox.env]\nA = "b"\n';
    expect(lineOf(text, 'sandbox', 'user_id')).toBe(2);
    expect(lineOf(text, 'sandbox')).toBe(2);
    expect(lineOf(text, 'sandbox', 'env')).toBe(4);
    expect(lineOf(text, 'sandbox', 'env', 'A')).toBe(5);
  });

  it('finds quoted and spaced keys', () => {
    const text = '[ "sandbox" ]\n"user_id" = 1\n\'user_name\' = "dev"\n  group_id   =  2\n"a.b" = 1\n';
    expect(lineOf(text, 'sandbox', 'user_id')).toBe(2);
    expect(lineOf(text, 'sandbox', 'user_name')).toBe(3);
    expect(lineOf(text, 'sandbox', 'group_id')).toBe(4);
    expect(lineOf(text, 'sandbox', 'a.b')).toBe(5);
  });

  it('skips lines inside multi-line strings', () => {
    const text = '[sandbox]\nsteps = [{ run = """\nuser_id = 7\n""" }]\nnote = \'\'\'\nuser_name = "x"\n\'\'\'\nuser_id = 8\nuser_name = "dev"\n';
    expect(lineOf(text, 'sandbox', 'steps')).toBe(2);
    expect(lineOf(text, 'sandbox', 'note')).toBe(5);
    expect(lineOf(text, 'sandbox', 'user_id')).toBe(8);
    expect(lineOf(text, 'sandbox', 'user_name')).toBe(9);
  });

  it('handles escaped quotes and comments', () => {
    const text = '[sandbox]\na = "x\\"\\"\\" # not a string start"\nb = 1 # """ in a comment\nc = 2\n';
    expect(lineOf(text, 'sandbox', 'b')).toBe(3);
    expect(lineOf(text, 'sandbox', 'c')).toBe(4);
  });

  it('counts array-of-tables headers under their parent', () => {
    const text = '[sandbox]\nuser_id = 1\n\n[[sandbox.files]]\npath = "/a"\ncontent = "x"\n\n[[sandbox.files]]\npath = "/b"\ncontent = "y"\n';
    expect(lineOf(text, 'sandbox', 'files')).toBe(4);
    expect(lineOf(text, 'sandbox', 'files', 'path')).toBe(5);
  });

  it('reads CRLF line endings', () => {
    const text = '[core]\r\nrun_as_devin = true\r\nsandbox_user_id = "1001"\r\n';
    expect(lineOf(text, 'core', 'sandbox_user_id')).toBe(3);
  });

  it('finds every key of the full fixture', () => {
    const text = readFileSync(fixture('full.toml'), 'utf8');
    expect(lineOf(text, 'sandbox', 'base_image')).toBe(3);
    expect(lineOf(text, 'sandbox', 'steps')).toBe(23);
    expect(lineOf(text, 'sandbox', 'env')).toBe(28);
    expect(lineOf(text, 'sandbox', 'labels')).toBe(30);
    expect(lineOf(text, 'sandbox', 'downloads')).toBe(41);
  });
});

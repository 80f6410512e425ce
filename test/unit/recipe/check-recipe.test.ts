import { describe, expect, it } from 'vitest';
import { isSandboxImageError } from '../../../src/errors.js';
import { checkRecipe } from '../../../src/recipe/check-recipe.js';
import type { SandboxRecipe } from '../../../src/recipe/types.js';
import { defaultRecipe } from './recipes.js';

const base = defaultRecipe();
const user = base.user!;

/** Recipes with one invalid value, and the field the error must name. */
const INVALID: Array<[string, SandboxRecipe]> = [
  ['user.name', { ...base, user: { ...user, name: 'root' } }],
  ['user.name', { ...base, user: { ...user, name: 'Sandbox' } }],
  ['user.uid', { ...base, user: { ...user, uid: 0 } }],
  ['user.uid', { ...base, user: { ...user, uid: 2 ** 31 } }],
  ['user.home', { ...base, user: { ...user, home: '/' } }],
  ['user.home', { ...base, user: { ...user, home: '/home/a:b' } }],
  ['user.home', { ...base, user: { ...user, home: '/home/a b' } }],
  ['user.shell', { ...base, user: { ...user, shell: 'bash' } }],
  ['user.uidConflict', { ...base, user: { ...user, uidConflict: 'rename' as never } }],
  ['user.sudo', { ...base, user: { ...user, sudo: 'all' as never } }],
  ['packages[0]', { ...base, packages: ['git;id'] }],
  ['packages[0]', { ...base, packages: ['-y'] }],
  ['env', { ...base, env: { 'A-B': 'x' } }],
  ['env.A', { ...base, env: { A: 'line\nbreak' } }],
  ['env.A', { ...base, env: { A: 'half \ud800 pair' } }],
  ['labels', { ...base, labels: { 'sandbox-image.recipe': 'x' } }],
  ['workdir', { ...base, workdir: 'workspace' }],
  ['workdir', { ...base, workdir: '/a/../b' }],
  ['files[0].path', { ...base, files: [{ path: '/etc/app/', content: 'x' }] }],
  ['files[0].mode', { ...base, files: [{ path: '/etc/app', content: 'x', mode: '644x' }] }],
  ['files[0].owner', { ...base, files: [{ path: '/etc/app', content: 'x', owner: 'a b' }] }],
  ['downloads[0].url', { ...base, downloads: [{ url: 'ftp://host.test/a', sha256: 'a'.repeat(64), path: '/a' }] }],
  ['downloads[0].url', { ...base, downloads: [{ url: 'https://host.test/a b', sha256: 'a'.repeat(64), path: '/a' }] }],
  ['downloads[0].sha256', { ...base, downloads: [{ url: 'https://host.test/a', sha256: 'A'.repeat(64), path: '/a' }] }],
  ['steps[0].run', { ...base, steps: [{ run: '  ' }] }],
  ['steps[0].user', { ...base, steps: [{ run: 'id', user: 'nobody' as never }] }],
  ['entrypoint[0]', { ...base, entrypoint: ['a\u0000b'] }],
];

describe('checkRecipe', () => {
  it.each(INVALID)('rejects an invalid %s', (field, recipe) => {
    let error: unknown;
    try {
      checkRecipe(recipe);
    } catch (caught) {
      error = caught;
    }
    expect(isSandboxImageError(error, 'INVALID_RECIPE')).toBe(true);
    expect((error as Error).message).toContain(`Invalid recipe field ${field}:`);
  });

  it('accepts the default recipe', () => {
    expect(() => checkRecipe(base)).not.toThrow();
  });
});

describe('workdir check', () => {
  it('rejects system directories', () => {
    for (const workdir of ['/', '/etc', '/usr/', '/home', '/root']) {
      const recipe = defaultRecipe();
      recipe.workdir = workdir;
      const error = (() => {
        try {
          checkRecipe(recipe);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(isSandboxImageError(error, 'INVALID_RECIPE'), workdir).toBe(true);
      expect((error as Error).message, workdir).toContain('system directory');
    }
  });

  it('accepts directories below them', () => {
    const recipe = defaultRecipe();
    recipe.workdir = '/home/sandbox/work';
    expect(() => checkRecipe(recipe)).not.toThrow();
  });
});

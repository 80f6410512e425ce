import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSandboxImageError } from '../../../src/errors.js';
import { renderSandboxDockerfile, type RenderedRecipe } from '../../../src/recipe/render.js';
import type { SandboxRecipe } from '../../../src/recipe/types.js';
import { parseDockerfile, type ParsedInstruction } from './dockerfile-parser.js';
import { defaultRecipe } from './recipes.js';

/** Pieces that break Dockerfiles, shells, JSON or line-based files when pasted unescaped. */
const HOSTILE_PIECES = [
  'a', 'Z', '0', '_', '-', '.', '/', ' ', '  ', '\t', '=', ':', ',', '@', '+', '~',
  '"', "'", '`', '$', '$(id)', '${HOME}', '$HOME', '`id`', '\\', '\\\\', '\\n', '\\"', ' \\',
  '#', '# comment', '[', ']', '{', '}', '"]', '["x"]', '\\u0000', '--chown=0', ';rm -rf /;', '&&', '|', '>', '<<EOF',
  'é', '日本', '😀', '\u0301', '\u00a0', '\u0085', '\u2028', '\u2029', '\ufeff', '\u3000',
];
/** Pieces that no Dockerfile word or data file line can hold; values containing them must be rejected. */
const FORBIDDEN_PIECES = ['\n', '\r', '\r\n', '\nRUN id\n', '\u0000', '\u0007', '\u001b[31m', '\u007f', '\ud800', '\udfff'];

const hostileText = fc.array(fc.constantFrom(...HOSTILE_PIECES), { maxLength: 10 }).map((pieces) => pieces.join(''));
const forbiddenText = fc
  .tuple(hostileText, fc.constantFrom(...FORBIDDEN_PIECES), hostileText)
  .map(([before, piece, after]) => before + piece + after);
/** Mostly text that should render, sometimes text that must be rejected, sometimes random Unicode. */
const text = fc.oneof(
  { weight: 40, arbitrary: hostileText },
  { weight: 1, arbitrary: forbiddenText },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);
const path = fc.oneof({ weight: 20, arbitrary: text.map((value) => `/${value}`) }, { weight: 1, arbitrary: text });
const envName = fc.oneof({ weight: 30, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/) }, { weight: 1, arbitrary: text });
const labelKey = fc.oneof({ weight: 30, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9./-]{0,10}$/) }, { weight: 1, arbitrary: text });
const owner = fc.option(fc.oneof({ weight: 30, arbitrary: fc.constantFrom('root', '0:0', 'sandbox:users', '1000') }, { weight: 1, arbitrary: text }));
const mode = fc.option(fc.oneof({ weight: 30, arbitrary: fc.constantFrom('0644', '0755', '600', '1777') }, { weight: 1, arbitrary: text }));
const userName = fc.oneof({ weight: 30, arbitrary: fc.constantFrom('sandbox', 'agent', '_svc', 'a-b_1') }, { weight: 1, arbitrary: text });
const packageName = fc.oneof({ weight: 30, arbitrary: fc.constantFrom('git', 'python3-pip', 'libc6=2.36-9', 'g++') }, { weight: 1, arbitrary: text });

const recipeArbitrary: fc.Arbitrary<SandboxRecipe> = fc.record({
  userName,
  packages: fc.array(packageName, { maxLength: 3 }),
  env: fc.dictionary(envName, text, { maxKeys: 3 }),
  labels: fc.dictionary(labelKey, text, { maxKeys: 3 }),
  workdir: fc.oneof({ weight: 3, arbitrary: fc.constant('/workspace') }, { weight: 2, arbitrary: path }),
  directories: fc.array(fc.record({ path, mode, owner }), { maxLength: 2 }),
  files: fc.array(fc.record({ path, content: text, mode, owner }), { maxLength: 2 }),
  downloads: fc.array(
    fc.record({
      url: fc.oneof({ weight: 4, arbitrary: fc.constant('https://files.example.test/tool.tgz') }, { weight: 1, arbitrary: text.map((value) => `https://files.example.test/${value}`) }),
      sha256: fc.constant('0'.repeat(64)),
      path,
      mode,
      owner,
    }),
    { maxLength: 2 },
  ),
  steps: fc.array(fc.record({ run: text, user: fc.constantFrom('root' as const, 'sandbox' as const) }), { maxLength: 3 }),
  entrypoint: fc.option(fc.array(text, { maxLength: 2 }), { nil: undefined }),
}).map((values) => {
  const recipe = defaultRecipe();
  return {
    ...recipe,
    user: { ...recipe.user!, name: values.userName },
    packages: values.packages,
    env: values.env,
    labels: values.labels,
    workdir: values.workdir,
    directories: values.directories.map(withoutNull),
    files: values.files.map(withoutNull),
    downloads: values.downloads.map(withoutNull),
    steps: values.steps,
    ...(values.entrypoint ? { entrypoint: values.entrypoint } : {}),
  };
});

function withoutNull<T extends object>(entry: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== null)) as { [K in keyof T]: Exclude<T[K], null> };
}

/** The instructions a recipe must render to, written from the recipe independently of render.ts. */
function expectedInstructions(recipe: SandboxRecipe, rendered: RenderedRecipe): ParsedInstruction[] {
  const user = recipe.user!;
  const finalUser = `${user.uid}:${user.gid}`;
  const run = (...args: string[]): ParsedInstruction => ({ keyword: 'RUN', flags: [], args });
  const expected: ParsedInstruction[] = [
    { keyword: 'FROM', flags: [], args: ['docker.io/library/debian:bookworm-slim'] },
    { keyword: 'USER', flags: [], args: ['root'] },
    { keyword: 'COPY', flags: [], args: ['.sandbox-image', '/.sandbox-image'] },
    run('/bin/sh', '/.sandbox-image/provision.sh', 'provision'),
  ];
  recipe.files.forEach((entry, index) => {
    expected.push({ keyword: 'COPY', flags: [`--chown=${entry.owner ?? '0:0'}`], args: [`files/${index}`, entry.path] });
  });
  for (const entry of recipe.downloads) {
    expected.push({ keyword: 'ADD', flags: [`--chown=${entry.owner ?? '0:0'}`], args: [entry.url, entry.path] });
  }
  if (recipe.downloads.length > 0) expected.push(run('/bin/sh', '/.sandbox-image/provision.sh', 'finish'));
  if (Object.keys(recipe.env).length > 0) expected.push({ keyword: 'ENV', flags: [], args: Object.entries(recipe.env).flat() });
  expected.push({ keyword: 'WORKDIR', flags: [], args: [recipe.workdir] });
  let current = 'root';
  for (const step of recipe.steps) {
    const stepUser = step.user === 'sandbox' ? finalUser : 'root';
    if (stepUser !== current) expected.push({ keyword: 'USER', flags: [], args: [stepUser] });
    current = stepUser;
    expected.push(run('/bin/sh', '-c', step.run));
  }
  expected.push({ keyword: 'USER', flags: [], args: [finalUser] });
  if (recipe.entrypoint) expected.push({ keyword: 'ENTRYPOINT', flags: [], args: recipe.entrypoint });
  expected.push({ keyword: 'LABEL', flags: [], args: Object.entries(rendered.labels).flat() });
  return expected;
}

/** Values that provision.sh reads line by line from the context must arrive unchanged. */
function expectValueFiles(recipe: SandboxRecipe, rendered: RenderedRecipe): void {
  const content = (name: string) => String(rendered.files.find((file) => file.path === `.sandbox-image/${name}`)?.content);
  expect(content('values/user_name')).toBe(`${recipe.user!.name}\n`);
  expect(content('values/workdir')).toBe(`${recipe.workdir}\n`);
  expect(content('values/packages')).toBe(recipe.packages.map((name) => `${name}\n`).join(''));
  recipe.directories.forEach((entry, index) => expect(content(`directories/${index}/path`)).toBe(`${entry.path}\n`));
  recipe.downloads.forEach((entry, index) => expect(content(`downloads/${index}/path`)).toBe(`${entry.path}\n`));
  recipe.files.forEach((entry, index) => {
    expect(rendered.files.find((file) => file.path === `files/${index}`)?.content).toBe(entry.content);
  });
}

describe('renderSandboxDockerfile with hostile values', () => {
  it('rejects or renders exactly 10,000 recipes', () => {
    let rendered = 0;
    let rejected = 0;
    fc.assert(
      fc.property(recipeArbitrary, (recipe) => {
        let output: RenderedRecipe;
        try {
          output = renderSandboxDockerfile(recipe);
        } catch (error) {
          if (!isSandboxImageError(error, 'INVALID_RECIPE')) throw error;
          rejected++;
          return;
        }
        rendered++;
        expect(parseDockerfile(output.dockerfile)).toEqual(expectedInstructions(recipe, output));
        expectValueFiles(recipe, output);
      }),
      { numRuns: 10_000, seed: 20_251_204 },
    );
    // Both outcomes must be common, or the generator has stopped testing one of them.
    expect(rendered).toBeGreaterThan(2_000);
    expect(rejected).toBeGreaterThan(2_000);
  }, 120_000);

  it('rejects every forbidden piece in an environment value', () => {
    for (const piece of FORBIDDEN_PIECES) {
      const recipe = { ...defaultRecipe(), env: { VALUE: `a${piece}b` } };
      expect(() => renderSandboxDockerfile(recipe), JSON.stringify(piece)).toThrow(/Invalid recipe field env.VALUE/);
    }
  });

  it('parses what Docker would expand as an error', () => {
    expect(() => parseDockerfile('FROM x\nWORKDIR /a$HOME\n')).toThrow(/would expand/);
    expect(() => parseDockerfile('FROM x\nRUN echo hi\n')).toThrow(/exec form/);
  });
});

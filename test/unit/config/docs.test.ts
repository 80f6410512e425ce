import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCS_PATH, TABLE_END, TABLE_START, renderKeyTable, updateKeyTable } from '../../../scripts/config-docs.js';
import { CONFIG_KEYS } from '../../../src/config/keys.js';

const documentation = readFileSync(DOCS_PATH, 'utf8');

describe('docs/configuration.md', () => {
  it('has the key table of CONFIG_KEYS', () => {
    expect(updateKeyTable(documentation), 'docs/configuration.md is out of date: run `npx tsx scripts/config-docs.ts`').toBe(documentation);
  });

  it('lists every key, alias and variable', () => {
    const table = documentation.slice(documentation.indexOf(TABLE_START), documentation.indexOf(TABLE_END));
    for (const definition of CONFIG_KEYS) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${definition.toml}\` |`));
      expect(row, `no row for ${definition.toml}`).toBeDefined();
      expect(row).toContain(`\`${definition.option}\``);
      for (const alias of definition.aliases) expect(row).toContain(`\`[${alias.table}] ${alias.key}\``);
      for (const name of definition.env) expect(row).toContain(`\`${name}\``);
    }
  });

  it('renders one row per key', () => {
    expect(renderKeyTable().split('\n')).toHaveLength(CONFIG_KEYS.length + 2);
  });

  it('states precedence and discovery', () => {
    expect(documentation).toContain('1. defaults,\n2. the config file,\n3. environment variables,\n4. options passed in code');
    expect(documentation).toContain('`SANDBOX_IMAGE_CONFIG`');
    expect(documentation).toContain('`config.toml` in the working directory');
  });

  it('shows the guide [core] file verbatim', () => {
    const guide = readFileSync(new URL('../../fixtures/config/opendevin-guide/config.toml', import.meta.url), 'utf8');
    expect(documentation).toContain(`\`\`\`toml\n${guide}\`\`\``);
  });

  it('rejects a document without markers', () => {
    expect(() => updateKeyTable('# Configuration\n')).toThrow(/must contain the lines/);
  });
});

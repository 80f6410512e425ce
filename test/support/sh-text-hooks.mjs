// Module hooks for child processes of the integration tests: a `.sh` import becomes a module
// whose default export is the file's text, as the tsup build and the vitest config do.
import { readFile } from 'node:fs/promises';

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.sh')) return nextLoad(url, context);
  const text = await readFile(new URL(url), 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}

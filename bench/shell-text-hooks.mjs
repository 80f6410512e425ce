// Node module hooks that load `.sh` files as a default-exported string, as tsup's text loader
// does in the build. The benchmark runs the TypeScript sources under tsx, which has no such loader.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.sh')) return nextLoad(url, context);
  const text = await readFile(fileURLToPath(url), 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}

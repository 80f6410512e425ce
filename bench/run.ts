// Entry point of `npm run bench`. The hooks must be registered before the library's modules
// load, so everything else is imported dynamically after the call.
import { register } from 'node:module';

register('./shell-text-hooks.mjs', import.meta.url);
await import('./main.js');

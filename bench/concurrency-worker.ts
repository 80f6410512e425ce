// Entry point of one child process of the concurrency benchmark; see concurrency-callers.ts.
import { register } from 'node:module';

register('./shell-text-hooks.mjs', import.meta.url);
await import('./concurrency-callers.js');

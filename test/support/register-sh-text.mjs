// Registers sh-text-hooks.mjs; pass it to node with `--import` after tsx.
import { register } from 'node:module';

register('./sh-text-hooks.mjs', import.meta.url);

// Imports the package from an ES module and prints what it finds, as JSON.
import * as library from 'sandbox-image';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fromRequire = require('sandbox-image');

const base = library.parseImageReference('ubuntu:24.04');
const name = library.getNewImageName(base, { repository: 'localhost/sandbox-image', fingerprint: 'abc' });
const error = new library.SandboxImageError('INVALID_CONFIG', 'example');

console.log(
  JSON.stringify({
    ensureSandboxImage: typeof library.ensureSandboxImage,
    SandboxImageManager: typeof library.SandboxImageManager,
    version: library.VERSION,
    name,
    // An error made by the ESM copy is recognised by the CJS copy of the package.
    crossCopyBrand: fromRequire.isSandboxImageError(error, 'INVALID_CONFIG'),
    sameCopy: fromRequire.ensureSandboxImage === library.ensureSandboxImage,
  }),
);

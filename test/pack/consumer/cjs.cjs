// Requires the package from a CommonJS module and prints what it finds, as JSON.
const library = require('sandbox-image');

const rendered = library.renderSandboxDockerfile(library.recipeFromConfig(library.resolveConfig({ configFile: false, env: {} }).values));

console.log(
  JSON.stringify({
    ensureSandboxImage: typeof library.ensureSandboxImage,
    SandboxImageManager: typeof library.SandboxImageManager,
    version: library.VERSION,
    name: library.getNewImageName('ubuntu:24.04', { repository: 'localhost/sandbox-image', fingerprint: 'abc' }),
    firstLine: rendered.dockerfile.split('\n')[0],
    resolvedFrom: require.resolve('sandbox-image'),
  }),
);

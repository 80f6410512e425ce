import { EXIT_FAILURE, main } from './main.js';

// A closed pipe (`sandbox-image config | head`) ends the program quietly, as other CLI tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sandbox-image: unexpected error: ${String(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  },
);

import { EXIT_FAILURE, main } from './main.js';

// A closed pipe (`sandbox-image config | head`) ends the program quietly, as other command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// The first Ctrl-C cancels a running build cleanly and the program exits with code 1; a second one kills the program.
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort(new Error('interrupted by SIGINT')));

const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: interrupt.signal };

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sandbox-image: unexpected error: ${String(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  },
);

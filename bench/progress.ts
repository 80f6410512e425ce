/** Writes one progress line to stderr, so stdout keeps only the report. */
export function progress(message: string): void {
  process.stderr.write(`bench ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}
